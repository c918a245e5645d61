// biome-ignore lint/suspicious/noExplicitAny: tests assert on arbitrary response JSON with toMatchObject.
export type Json = any;

export function readJson(response: Response): Promise<Json> {
  return response.json() as Promise<Json>;
}
