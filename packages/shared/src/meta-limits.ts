/**
 * Meta's published limits for outbound messages (docs/whatsapp-cloud-api.md §5). Validators in the router,
 * the SDK and the operator UI all read these, so a limit changes in one place.
 */
export const metaLimits = {
  textBody: 4096,
  list: {
    button: 20,
    body: 4096,
    header: 60,
    footer: 60,
    sections: 10,
    sectionTitle: 24,
    rowsTotal: 10,
    rowId: 200,
    rowTitle: 24,
    rowDescription: 72,
  },
  /** A media message's caption (image, video, document). */
  mediaCaption: 1024,
  buttons: { count: 3, id: 256, title: 20, body: 1024, footer: 60, header: 60 },
  /** `biz_opaque_callback_data` of a send: an opaque string Meta echoes in that message's status webhooks. */
  bizOpaqueCallbackData: 512,
  /** Meta answers 131047 to a free-form message outside the customer-service window. */
  customerServiceWindowHours: 24,
  /**
   * A typing indicator (the mark-as-read call with `typing_indicator`) shows "typing…" until the business replies
   * or this many seconds pass (meta-2026-changes.md §1.4): sending it more often changes nothing for the user.
   */
  typingIndicatorSeconds: 25,
} as const;
