/** SHA-256 of the salted user id as hex: the raw id never leaves the page. */
export const hashUser = async (id: string, salt: string): Promise<string> => {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(salt + '\n' + id));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
};
