/**
 * Dates as the account page prints them. Tessera does not know the reader's time zone, so
 * times are in UTC and say so; the `iso` form goes into <time datetime>.
 */
const day = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" });
const moment = new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "UTC" });

export interface PrintedDate {
  iso: string;
  text: string;
}

export const printDay = (date: Date): PrintedDate => ({ iso: date.toISOString(), text: day.format(date) });
export const printMoment = (date: Date): PrintedDate => ({ iso: date.toISOString(), text: `${moment.format(date)} UTC` });
