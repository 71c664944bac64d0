import { useEffect } from 'react';
import { newConversation } from '../../actions';
import { cancelAnswer } from '../../answerActions';
import type { MaiApi } from '../../api';
import { useChat } from '../../state/chatStore';

/**
 * The chat's keys, wherever the focus is: Esc stops the answer being written, Ctrl+K (Cmd+K on a Mac) starts a new
 * conversation and puts the cursor in the message box. Enter and Shift+Enter belong to the message box itself.
 */
export function useChatKeys(api: MaiApi): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const answering = useChat.getState().streaming !== null;
      if (event.key === 'Escape' && answering) {
        event.preventDefault();
        void cancelAnswer(api);
      } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k' && !event.altKey) {
        event.preventDefault();
        if (answering) return;
        void newConversation(api).then(() => document.getElementById('chat-input')?.focus());
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [api]);
}
