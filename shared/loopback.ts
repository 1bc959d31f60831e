/** This machine's own addresses, as a URL's hostname spells them: nothing sent to them crosses a network. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|::1)$/i;

export const isLoopbackHost = (hostname: string): boolean => LOOPBACK.test(hostname);
