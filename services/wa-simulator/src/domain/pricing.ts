import type { TemplateCategory } from '@wa-broker/shared/message-templates';
import type { MessagePricing } from '@wa-broker/shared/pricing';

export interface PricedSend {
  /** The template's category at send time; undefined for a free-form message (a service reply). */
  templateCategory?: TemplateCategory;
  /** Whether the user's 24 h window with the sending number was open when the send was accepted. */
  windowOpen: boolean;
}

/**
 * A status's `pricing` (meta-2026-changes.md §1.3): per-message pricing (`PMP`), the template's category
 * lowercased or `service` for a free-form reply. Since 2026-10-01 service replies and utility templates inside
 * the window are billed (`regular`); `freeServiceReplies` gives the earlier rule, where they were
 * `free_customer_service` and not billable.
 */
export function pricingOf(send: PricedSend, freeServiceReplies: boolean): MessagePricing {
  const category = send.templateCategory?.toLowerCase() ?? 'service';
  const free = freeServiceReplies && send.windowOpen && (category === 'service' || category === 'utility');
  return {
    billable: !free,
    pricing_model: 'PMP',
    category,
    type: free ? 'free_customer_service' : 'regular',
  };
}
