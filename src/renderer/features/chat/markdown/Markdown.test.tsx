import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from './Markdown';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  delete (window as { pwned?: unknown }).pwned;
});

const table = '| Model | Size |\n|---|---:|\n| stories260K | 1 MiB |\n| llama | 2 MiB |';
const code = '```ts\nconst answer: number = 42; // why\n```';

describe('Markdown', () => {
  it('renders GitHub tables, task lists and strikethrough', () => {
    const { container } = render(<Markdown text={`${table}\n\n- [x] done\n- [ ] to do\n\n~~gone~~`} />);
    const cells = [...container.querySelectorAll('tbody tr')].map((row) =>
      [...row.querySelectorAll('td')].map((cell) => cell.textContent),
    );
    expect(cells).toEqual([
      ['stories260K', '1 MiB'],
      ['llama', '2 MiB'],
    ]);
    const boxes = [...container.querySelectorAll<HTMLInputElement>('li input[type=checkbox]')];
    expect(boxes.map((box) => box.checked)).toEqual([true, false]);
    expect(container.querySelector('del')?.textContent).toBe('gone');
  });

  it('highlights a fenced block in its language and copies its text', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { container } = render(<Markdown text={code} />);
    expect(screen.getByTestId('code-block').querySelector('.code-language')?.textContent).toBe('ts');
    expect(container.querySelector('code.hljs .hljs-keyword')?.textContent).toBe('const');
    expect(container.querySelector('code.hljs .hljs-comment')?.textContent).toBe('// why');
    await act(async () => fireEvent.click(screen.getByTestId('code-copy')));
    expect(writeText).toHaveBeenCalledWith('const answer: number = 42; // why\n');
    expect(screen.getByTestId('code-copy').textContent).toBe('Copied');
  });

  it('says so when the clipboard refuses', async () => {
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText: () => Promise.reject(new Error('denied')) } });
    render(<Markdown text={code} />);
    await act(async () => fireEvent.click(screen.getByTestId('code-copy')));
    expect(screen.getByTestId('code-copy').textContent).toBe('Copy failed');
  });

  it('shows raw HTML as text and makes no element of it; dangerous links and images go', () => {
    const text =
      'Look: <img src=x onerror="window.pwned=1"> and <script>window.pwned=2</script>\n\n' +
      '<iframe src="https://example.com"></iframe>\n\n[click](javascript:window.pwned=3) ![cat](https://e.x/cat.png)';
    const { container } = render(<Markdown text={text} />);
    expect(container.querySelector('img, script, iframe')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror="window.pwned=1">');
    expect(container.textContent).toContain('<script>window.pwned=2</script>');
    expect(container.querySelector('a')?.getAttribute('href')).toBeNull();
    expect(container.textContent).toContain('[image: cat]');
    expect((window as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('opens links outside the app, never in its own page', () => {
    const { container } = render(<Markdown text="[docs](https://lmstudio.ai/docs)" />);
    const link = container.querySelector('a');
    expect(link?.getAttribute('href')).toBe('https://lmstudio.ai/docs');
    expect(link?.getAttribute('target')).toBe('_blank');
    expect(link?.getAttribute('rel')).toBe('noopener noreferrer');
  });
});
