/**
 * How demanding a message is, by rules a reader can follow: points for length, code, reasoning cues, attachments
 * and a long conversation, summed into simple / moderate / complex. The selector leans to larger models for complex
 * messages; it never needs this to be clever, only predictable and explained.
 */
import type { ModelCapability } from '../config';

export type ComplexityLevel = 'simple' | 'moderate' | 'complex';

export interface ComplexityInput {
  text: string;
  /** Files sent with the message (images, documents). */
  attachments?: number;
  /** Turns in the conversation so far, this one included. */
  turns: number;
}

export interface Complexity {
  level: ComplexityLevel;
  score: number;
  /** One line per rule that added points, e.g. "code block (+2)". */
  reasons: string[];
}

/**
 * Level boundaries: 0-1 point is a greeting, a fact or a short question; 2-3 is one real signal (a code block, a
 * proof, a long message); 4 or more is several at once, the kind of message small models visibly fumble.
 */
export const moderateFromPoints = 2;
export const complexFromPoints = 4;

/**
 * Word counts: 60 words is a paragraph, past a one-line question; 200 is a page, which takes a model that keeps
 * track of several points at once.
 */
const longWords = 60;
const veryLongWords = 200;

/** 20 turns is ~10 exchanges: enough history that keeping the thread straight is work of its own. */
const longConversationTurns = 20;

/** Three or more questions in one message ask the model to juggle several answers. */
const manyQuestions = 3;

/** Cues that ask for a derivation rather than an answer: worth two points each. */
const strongCues: readonly [string, RegExp][] = [
  ['prove', /\bprov(e|es|ing)\b|\bproof\b/i],
  ['step by step', /\bstep[- ]by[- ]step\b/i],
  ['derive', /\bderiv(e|ation)\b/i],
];

/** Cues that ask for reasoning: one point each. */
const reasoningCues: readonly [string, RegExp][] = [
  ['why', /\bwhy\b/i],
  ['compare', /\bcompar(e|ison|ing)\b|\bversus\b|\bvs\.?\s/i],
  ['explain', /\bexplain\b/i],
  ['analyse', /\banaly[sz](e|is|ing)\b/i],
  ['trade-offs', /\btrade-?offs?\b|\bpros and cons\b/i],
  ['design', /\b(design|architect)\b/i],
  ['optimise', /\boptimi[sz](e|ation)\b/i],
];

/** At most this many points from reasoning cues: a list of buzzwords is not three times as hard as one. */
const maxCuePoints = 3;

const fencePattern = /```|~~~/;

/**
 * Lines that read as code, not prose: declarations, calls ending a statement, stack frames, shell prompts. The
 * punctuation is what tells "class Foo {" from "my class at school".
 */
const codeLinePatterns: readonly RegExp[] = [
  /^\s*(def|class|function|fn|func|impl|struct|interface|enum)\s+\w+\s*[(:{<]/m,
  /^\s*(const|let|var)\s+\w+\s*[:=]/m,
  /^\s*(import\s+[\w{*].*\bfrom\b|from\s+\w+(\.\w+)*\s+import\b|#include\s*[<"])/m,
  /^\s*(public|private|static)\s+[\w<>[\]]+\s+\w+\s*\(/m,
  /\w\([^()\n]*\);/,
  /^\s*at\s+[\w.$<>]+\s+\(.*:\d+:\d+\)$/m,
  /^\s*Traceback \(most recent call last\):/m,
  /^\s*\$\s+\w+/m,
];

/** Words that ask for programming without pasting code ("write a function in Python"). */
const codeRequestPattern =
  /\b(write|fix|debug|refactor|implement)\b.{0,40}\b(function|script|class|method|code|program|regex|query|bug)\b/i;

/** Whether the message holds code or asks for it: what makes 'code' a needed capability. */
export function hasCode(text: string): boolean {
  return fencePattern.test(text) || codeLinePatterns.some((p) => p.test(text)) || codeRequestPattern.test(text);
}

function countWords(text: string): number {
  const words = text.trim().split(/\s+/);
  return words[0] === '' ? 0 : words.length;
}

export function scoreComplexity(input: ComplexityInput): Complexity {
  const { text } = input;
  const reasons: string[] = [];
  let score = 0;
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(`${reason} (+${points})`);
  };

  const words = countWords(text);
  if (words > veryLongWords) add(2, `long message: ${words} words`);
  else if (words > longWords) add(1, `${words} words`);

  if (fencePattern.test(text)) add(2, 'code block');
  else if (hasCode(text)) add(1, 'code');

  let cuePoints = 0;
  const cues: string[] = [];
  for (const [name, pattern] of strongCues) {
    if (pattern.test(text)) {
      cuePoints += 2;
      cues.push(name);
    }
  }
  for (const [name, pattern] of reasoningCues) {
    if (pattern.test(text)) {
      cuePoints += 1;
      cues.push(name);
    }
  }
  if (cuePoints > 0) add(Math.min(maxCuePoints, cuePoints), `asks to reason: ${cues.map((c) => `"${c}"`).join(', ')}`);

  const questions = (text.match(/\?/g) ?? []).length;
  if (questions >= manyQuestions) add(1, `${questions} questions`);

  // Each attachment is more to read and relate; two points at most, or a photo album would outweigh the request.
  const attachments = input.attachments ?? 0;
  if (attachments > 0) add(Math.min(2, attachments), `${attachments} attachment${attachments === 1 ? '' : 's'}`);

  if (input.turns >= longConversationTurns) add(1, `long conversation: ${input.turns} turns`);

  const level: ComplexityLevel =
    score >= complexFromPoints ? 'complex' : score >= moderateFromPoints ? 'moderate' : 'simple';
  return { level, score, reasons };
}

/** An attachment as far as capabilities care: its media type. */
export interface AttachmentKind {
  mimeType: string;
}

/** What a model must be able to do for this message: 'code' when code is present or asked for, 'vision' for images. */
export function requiredCapabilities(text: string, attachments: readonly AttachmentKind[] = []): ModelCapability[] {
  const needed: ModelCapability[] = [];
  if (hasCode(text)) needed.push('code');
  if (attachments.some((a) => a.mimeType.toLowerCase().startsWith('image/'))) needed.push('vision');
  return needed;
}
