// Remembered answers of a pure function of a short string: the SDK asks the same questions over
// and over (the same keys and model names in every event), and a lookup costs far less than the
// regular expressions behind the first answer.

/** Strings remembered at most; past it the memory starts over, so a page of ever-new strings keeps it bounded. */
const MAX_REMEMBERED = 500;
/** Longest string remembered, in characters: longer ones (messages, stacks) are rarely asked twice. */
const MAX_REMEMBERED_CHARS = 100;

/** `compute` with its answers for short strings remembered. */
export const memoizeText = <T>(compute: (text: string) => T): ((text: string) => T) => {
  let answers = new Map<string, T>();
  return (text) => {
    if (text.length > MAX_REMEMBERED_CHARS) return compute(text);
    if (answers.has(text)) return answers.get(text)!;
    const answer = compute(text);
    if (answers.size >= MAX_REMEMBERED) answers = new Map();
    answers.set(text, answer);
    return answer;
  };
};
