import { describe, expect, it } from 'vitest';
import { hasCode, requiredCapabilities, scoreComplexity, type ComplexityLevel } from './complexity';

const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i}`).join(' ');
const fence = '```ts\nconst total = items.reduce((sum, x) => sum + x, 0);\n```';

describe('scoreComplexity', () => {
  it.each<[string, { text: string; attachments?: number; turns?: number }, ComplexityLevel, number]>([
    ['a greeting', { text: 'hi!' }, 'simple', 0],
    ['a short fact question', { text: 'What is the capital of France?' }, 'simple', 0],
    ['one reasoning cue', { text: 'Why is the sky blue?' }, 'simple', 1],
    ['a paragraph (61-200 words)', { text: words(80) }, 'simple', 1],
    ['a page (over 200 words)', { text: words(250) }, 'moderate', 2],
    ['a code block', { text: `What does this print?\n${fence}` }, 'moderate', 2],
    ['code without a fence', { text: 'def area(r):\n    return 3.14 * r * r' }, 'simple', 1],
    [
      'a proof asked step by step (cues capped at 3)',
      { text: 'Prove step by step that √2 is irrational.' },
      'moderate',
      3,
    ],
    ['code, why, and a comparison', { text: `Why is this slow? Compare it with a for loop.\n${fence}` }, 'complex', 4],
    ['one image', { text: 'What is this?', attachments: 1 }, 'simple', 1],
    ['three files to compare (attachments capped at 2)', { text: 'Compare these.', attachments: 3 }, 'moderate', 3],
    ['a long conversation', { text: 'And why?', turns: 24 }, 'moderate', 2],
    ['several questions at once', { text: 'Where? When? How much?' }, 'simple', 1],
    [
      'a long design question with code and trade-offs',
      { text: `${words(210)}\nDesign a cache; explain the trade-offs.\n${fence}`, turns: 3 },
      'complex',
      7,
    ],
  ])('%s', (_name, input, level, score) => {
    const result = scoreComplexity({ turns: 1, ...input });
    expect(result).toMatchObject({ level, score });
    expect(result.reasons.length > 0).toBe(score > 0);
  });

  it('says what each point came from', () => {
    const result = scoreComplexity({ text: `Why? Explain.\n${fence}`, attachments: 1, turns: 30 });
    expect(result.reasons).toEqual([
      'code block (+2)',
      'asks to reason: "why", "explain" (+2)',
      '1 attachment (+1)',
      'long conversation: 30 turns (+1)',
    ]);
    expect(result.level).toBe('complex');
  });
});

describe('requiredCapabilities', () => {
  it.each<[string, string, { mimeType: string }[], string[]]>([
    ['plain prose', 'Tell me a story about a cat.', [], []],
    ['prose with code-like words', 'My class at school is fun; let me import some ideas from the book.', [], []],
    ['a fenced block', fence, [], ['code']],
    ['a Python function', 'def area(r):\n    return r * r', [], ['code']],
    ['a class declaration', 'class Cache {\n  get(key) {}\n}', [], ['code']],
    ['a JavaScript statement', 'Why does console.log(x); print undefined?', [], ['code']],
    ['a stack trace', 'Traceback (most recent call last):\n  File "a.py", line 1', [], ['code']],
    ['a request to write code', 'Write a function that reverses a list in Python', [], ['code']],
    ['an image', 'What is in this picture?', [{ mimeType: 'image/png' }], ['vision']],
    ['an upper-case image type', 'And this?', [{ mimeType: 'IMAGE/JPEG' }], ['vision']],
    ['a PDF', 'Summarise this.', [{ mimeType: 'application/pdf' }], []],
    [
      'a screenshot of code with a fence',
      `${fence}\nSee the screenshot.`,
      [{ mimeType: 'image/png' }],
      ['code', 'vision'],
    ],
  ])('%s', (_name, text, attachments, expected) => {
    expect(requiredCapabilities(text, attachments)).toEqual(expected);
  });

  it('hasCode agrees with the capability', () => {
    expect(hasCode('const x = 1;')).toBe(true);
    expect(hasCode('I want a constant reminder.')).toBe(false);
  });
});
