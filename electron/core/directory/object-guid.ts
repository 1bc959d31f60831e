/**
 * objectGUID: 16 bytes on the wire; Windows writes it {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} with the
 * first three groups byte-swapped (little-endian Data1/Data2/Data3).
 */
export function guidToString(bytes: Buffer): string {
  if (bytes.length !== 16) throw new Error(`an objectGUID has 16 bytes, this one ${bytes.length}`);
  const hex = (from: number, to: number, reverse: boolean) => {
    const part = Buffer.from(bytes.subarray(from, to));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/**
 * The objectGUID's 16 bytes as AD keeps them (the inverse of guidToString), for an EqualityFilter: ldapts
 * re-encodes the \xx escapes of a filter string as UTF-8, so a GUID with a byte ≥ 0x80 would match nothing.
 */
export function guidBytes(guid: string): Buffer {
  const hex = guid.replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`"${guid}" is not an objectGUID`);
  const bytes = Buffer.from(hex, 'hex');
  for (const [from, to] of [
    [0, 4],
    [4, 6],
    [6, 8],
  ] as const)
    bytes.subarray(from, to).reverse();
  return bytes;
}
