import { type MessageTemplateRecord, templateKey } from '@wa-broker/shared/message-templates';
import type { NumberTemplates, TemplateCatalogView } from '../domain/template-check.js';

/**
 * The admin's templates, fed by the compacted template-changes topic (never by PostgreSQL), grouped by WABA and
 * name; a number finds its WABA in the number registry. Deleted templates stay as `DELETED` records: a send of
 * one is refused like Meta would.
 */
export class TemplateCatalog implements TemplateCatalogView {
  private readonly byWaba = new Map<string, Map<string, Map<string, MessageTemplateRecord>>>();

  constructor(private readonly wabaOf: (phoneNumberId: string) => string | null) {}

  apply(record: MessageTemplateRecord): void {
    let names = this.byWaba.get(record.waba_id);
    if (!names) this.byWaba.set(record.waba_id, (names = new Map()));
    let languages = names.get(record.name);
    if (!languages) names.set(record.name, (languages = new Map()));
    languages.set(record.language, record);
  }

  /** A tombstone (`waba:name:language`): the template is forgotten. */
  remove(key: string): void {
    for (const [, names] of this.byWaba)
      for (const [, languages] of names)
        for (const [language, record] of languages)
          if (templateKey(record) === key) languages.delete(language);
  }

  ofNumber(phoneNumberId: string): NumberTemplates | null {
    const waba = this.wabaOf(phoneNumberId);
    const names = waba ? this.byWaba.get(waba) : undefined;
    if (!names) return null;
    return { recordsOf: (name) => [...(names.get(name)?.values() ?? [])] };
  }
}
