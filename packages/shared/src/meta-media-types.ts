/**
 * Meta's media message types (whatsapp-cloud-api.md): the same five in a webhook's `messages[]` and in a
 * `POST /messages` send. The router, the SDK, the agent contracts and the simulator all read this list.
 */
export const metaMediaTypes = ['image', 'audio', 'video', 'document', 'sticker'] as const;
export type MetaMediaType = (typeof metaMediaTypes)[number];
