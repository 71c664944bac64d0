export interface FragmentShape {
  content: string;
  reasoningType: 'none' | 'reasoning' | 'reasoningStartTag' | 'reasoningEndTag';
  isStructural: boolean;
}

/**
 * Marks `<think>` … `</think>` the way LM Studio does (§5.6): the tags as structural fragments, the text between as
 * reasoning. Works per token: a tag that a tokenizer splits over several tokens stays plain text, which is enough
 * for the test models (neither of them thinks).
 */
export class ReasoningSplitter {
  private inReasoning = false;

  constructor(private readonly enabled: boolean) {}

  classify(content: string): FragmentShape {
    const tag = content.trim();
    if (this.enabled && tag === '<think>' && !this.inReasoning) {
      this.inReasoning = true;
      return { content, reasoningType: 'reasoningStartTag', isStructural: true };
    }
    if (this.enabled && tag === '</think>' && this.inReasoning) {
      this.inReasoning = false;
      return { content, reasoningType: 'reasoningEndTag', isStructural: true };
    }
    return { content, reasoningType: this.inReasoning ? 'reasoning' : 'none', isStructural: false };
  }
}
