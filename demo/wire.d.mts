/** Why `text` is not a valid v1 batch (SPEC §4), or undefined when it is. */
export declare const invalidReason: (text: string) => string | undefined;
