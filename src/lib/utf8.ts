/** UTF-8 byte length of a string, without allocating an encoded copy. */
export const utf8Length = (s: string): number => {
  let bytes = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) {
      bytes += c > 0x7ff ? 2 : 1;
      // a surrogate pair is 4 bytes: 2 counted by length, 2 just added; skip its low half
      if (c >= 0xd800 && c <= 0xdbff) i++;
    }
  }
  return bytes;
};
