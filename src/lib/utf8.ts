/** UTF-8 byte length of a string, without allocating an encoded copy. */
export const utf8Length = (text: string): number => {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      bytes += code > 0x7ff ? 2 : 1;
      // a surrogate pair is 4 bytes: 2 counted by length, 2 just added; skip its low half
      if (code >= 0xd800 && code <= 0xdbff) i++;
    }
  }
  return bytes;
};
