import type { BusinessNumberRecord } from '@wa-broker/shared/business-numbers';
import { type MessageTemplateRecord, templateKey } from '@wa-broker/shared/message-templates';
import type { TemplateCatalog } from '../domain/ports.js';

/**
 * The catalog in memory, fed by the compacted `template-changes` and `number-changes` topics (each record is a
 * template's or number's full current state). `onChange` hears the WABA whose templates changed, with the
 * numbers that send from it, so the operators' open pickers can be refreshed.
 */
export class MemoryTemplateCatalog implements TemplateCatalog {
  private readonly templates = new Map<string, Map<string, MessageTemplateRecord>>();
  private readonly numbers = new Map<string, string>();
  private readonly listeners: ((wabaId: string) => void)[] = [];

  wabaOf(phoneNumberId: string): string | undefined {
    return this.numbers.get(phoneNumberId);
  }

  templatesOf(wabaId: string): MessageTemplateRecord[] {
    return [...(this.templates.get(wabaId)?.values() ?? [])];
  }

  /** The active numbers of a WABA. */
  numbersOf(wabaId: string): string[] {
    return [...this.numbers].filter(([, waba]) => waba === wabaId).map(([number]) => number);
  }

  applyTemplate(template: MessageTemplateRecord): void {
    const ofWaba = this.templates.get(template.waba_id) ?? new Map<string, MessageTemplateRecord>();
    this.templates.set(template.waba_id, ofWaba);
    // Kept whatever its status (deleted too): a refusal then says "deleted" or "paused" rather than "unknown".
    ofWaba.set(templateKey(template), template);
    this.changed(template.waba_id);
  }

  /** A tombstone on `template-changes`: the key is `waba:name:language`. */
  removeTemplate(key: string): void {
    const wabaId = key.split(':')[0] ?? '';
    if (this.templates.get(wabaId)?.delete(key)) this.changed(wabaId);
  }

  applyNumber(number: BusinessNumberRecord): void {
    if (number.active) this.numbers.set(number.phone_number_id, number.waba_id);
    else this.numbers.delete(number.phone_number_id);
  }

  removeNumber(phoneNumberId: string): void {
    this.numbers.delete(phoneNumberId);
  }

  onChange(listener: (wabaId: string) => void): void {
    this.listeners.push(listener);
  }

  private changed(wabaId: string) {
    for (const listener of this.listeners) listener(wabaId);
  }
}
