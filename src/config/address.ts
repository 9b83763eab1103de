/** Where a URL's requests go at the socket level: its host (IPv6 without brackets) and port. */
export function socketAddressOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80)),
  };
}
