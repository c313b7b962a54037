import { type MessageTemplateRecord, TemplateIndex } from '@wa-broker/shared/message-templates';
import type { NumberTemplates, TemplateCatalogView } from '../domain/template-check.js';

/**
 * The admin's templates, fed by the compacted template-changes topic (never by PostgreSQL); a number finds its
 * WABA in the number registry. Deleted templates stay as `DELETED` records: a send of one is refused like Meta
 * would.
 */
export class TemplateCatalog implements TemplateCatalogView {
  private readonly index = new TemplateIndex();

  constructor(private readonly wabaOf: (phoneNumberId: string) => string | null) {}

  apply(record: MessageTemplateRecord): void {
    this.index.apply(record);
  }

  remove(key: string): void {
    this.index.remove(key);
  }

  ofNumber(phoneNumberId: string): NumberTemplates | null {
    const waba = this.wabaOf(phoneNumberId);
    if (!waba || !this.index.knows(waba)) return null;
    return { recordsOf: (name) => this.index.recordsOf(waba, name) };
  }
}
