/** Numbers, percentages, dates and "3 h ago" through Intl in the widget's locale. */
export class LocaleFormat {
  readonly locale: string;
  constructor(locale: string) {
    this.locale = locale;
  }

  number(value: number, maximumFractionDigits = 1): string {
    return new Intl.NumberFormat(this.locale, { maximumFractionDigits }).format(value);
  }

  /** `ratio` 0..1 (or a signed change) as a percentage. */
  percent(ratio: number, signDisplay: "auto" | "exceptZero" = "auto"): string {
    return new Intl.NumberFormat(this.locale, { style: "percent", maximumFractionDigits: 0, signDisplay }).format(
      ratio,
    );
  }

  days(count: number): string {
    return new Intl.NumberFormat(this.locale, { style: "unit", unit: "day", unitDisplay: "long" }).format(count);
  }

  /** A calendar date ("2026-12-01") shown as that day wherever the reader is. */
  date(isoDate: string, style: "medium" | "short" = "medium"): string {
    const day = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
    return new Intl.DateTimeFormat(this.locale, { dateStyle: style, timeZone: "UTC" }).format(day);
  }

  /** Day and short month ("23 Nov", "٢٣ نوفمبر"): short enough for a chart axis in any script. */
  dayMonth(isoDate: string): string {
    const day = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate);
    return new Intl.DateTimeFormat(this.locale, { day: "numeric", month: "short", timeZone: "UTC" }).format(day);
  }

  ago(isoDateTime: string, now = Date.now()): string {
    const seconds = Math.round((new Date(isoDateTime).getTime() - now) / 1000);
    const rtf = new Intl.RelativeTimeFormat(this.locale, { numeric: "auto", style: "short" });
    const steps: [Intl.RelativeTimeFormatUnit, number][] = [
      ["day", 86_400],
      ["hour", 3_600],
      ["minute", 60],
    ];
    for (const [unit, size] of steps) {
      if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
    }
    return rtf.format(0, "minute");
  }
}
