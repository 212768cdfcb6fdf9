/** The BFF's sentences in German (see server-texts.ts); the learner is addressed with "Sie". */
import type { MissedAssessment } from "@ms8/edge/contract";
import type { ServerTexts, Urgency, Wording } from "./server-wording.ts";

const URGENCY: Urgency = {
  low: { learner: "Beim nächsten Lernen", trainer: "Beim nächsten Gespräch" },
  medium: { learner: "Diese Woche", trainer: "Diese Woche" },
  high: { learner: "In den nächsten Tagen", trainer: "In den nächsten Tagen" },
  critical: { learner: "Heute", trainer: "Heute" },
};

/** "1 Woche", "3 Wochen". */
const count = (n: number, w: Wording, one: string, many: string) => `${w.n(n)} ${n === 1 ? one : many}`;

const named = (missed: MissedAssessment[], w: Wording) =>
  w.named(
    missed,
    (date) => `die am ${date} fällige Aufgabe`,
    (n, firstTwo) => `die ${n} versäumten Aufgaben, angefangen mit ${firstTwo}`,
  );

export const de: ServerTexts = {
  risk: {
    "reason.missedWork.some": (v, w) =>
      `${w.n(v.missed)} von ${count(v.due, w, "bisher fälligen Aufgabe", "bisher fälligen Aufgaben")} nicht abgegeben${
        v.weightPercent === null ? "" : ` (${w.percent(v.weightPercent)} des fälligen Notengewichts)`
      }.`,
    "reason.missedWork.none": (v, w) =>
      v.due === 1 ? "Die bisher fällige Aufgabe abgegeben." : `Alle ${w.n(v.due)} bisher fälligen Aufgaben abgegeben.`,
    "reason.lateWork.some": (v, w) =>
      `${w.n(v.late)} von ${count(v.submitted, w, "abgegebenen Aufgabe", "abgegebenen Aufgaben")} nach dem Termin eingereicht.`,
    "reason.lateWork.none": (v, w) =>
      v.submitted === 1
        ? "Die abgegebene Aufgabe rechtzeitig eingereicht."
        : `Alle ${w.n(v.submitted)} abgegebenen Aufgaben rechtzeitig eingereicht.`,
    "reason.scoreShortfall.below": (v, w) =>
      `Im Schnitt ${w.n(v.mean)} von 100 Punkten in ${count(v.marked, w, "bewerteten Aufgabe", "bewerteten Aufgaben")}, unter den üblichen ${w.n(v.typical)}.`,
    "reason.scoreShortfall.above": (v, w) =>
      `Im Schnitt ${w.n(v.mean)} von 100 Punkten in ${count(v.marked, w, "bewerteten Aufgabe", "bewerteten Aufgaben")}, über den üblichen ${w.n(v.typical)}.`,
    "reason.courseWeek.early": (v, w) =>
      `In Woche ${w.n(v.week)} des Kurses: Die meisten, die abbrechen, tun es in den ersten Wochen.`,
    "reason.courseWeek.past": (v, w) =>
      `In Woche ${w.n(v.week)} des Kurses: Die Wochen, in denen die meisten abbrechen, sind vorbei.`,
    "reason.studyLoad.more": (v, w) =>
      `Belegt ${w.n(v.credits)} Credits gleichzeitig, mehr als die üblichen ${w.n(v.typical)}.`,
    "reason.studyLoad.less": (v, w) =>
      `Belegt ${w.n(v.credits)} Credits gleichzeitig, weniger als die üblichen ${w.n(v.typical)}.`,
    "missing.missedWork": () =>
      "Versäumte Aufgaben: Bisher war nichts fällig, daher zählt der Risikowert sie als üblich.",
    "missing.scoreShortfall": () =>
      "Ergebnisse: Bisher wurde nichts bewertet, daher zählt der Risikowert sie als üblich.",
    "missing.lateWork": () =>
      "Verspätete Abgaben: Bisher wurde nichts zu einem Termin abgegeben, daher zählt der Risikowert sie als üblich.",
    "missing.studyLoad": () =>
      "Lernpensum: Die Credits der lernenden Person sind nicht erfasst, daher nimmt der Risikowert ein übliches Pensum an.",
    "missing.courseWeek": () =>
      "Zeit im Kurs: Die lernende Person ist in keinem Kurs eingeschrieben, daher nimmt der Risikowert eine übliche Woche an.",
    "action.learner.missedWork": (v, w) =>
      // More than three: "die 5 versäumten Aufgaben, angefangen mit A und B, nach" closes the apposition.
      `${URGENCY[v.urgency].learner}: Holen Sie ${named(v.missed, w)}${v.missed.length > 3 ? "," : ""} nach (${
        v.missed.length === 1 ? "der Termin ist" : "die Termine sind"
      } vorbei) oder fragen Sie Ihre Trainerin oder Ihren Trainer nach einer Verlängerung.`,
    "action.trainer.missedWork": (v, w) =>
      `${URGENCY[v.urgency].trainer}: Sprechen Sie die versäumten Aufgaben an (${named(v.missed, w)}) und vereinbaren Sie einen Plan zum Aufholen.`,
    "action.learner.scoreShortfall": (v) =>
      `${URGENCY[v.urgency].learner}: Wiederholen Sie Ihre schwächsten Themen anhand des Feedbacks zu Ihren bewerteten Aufgaben und bitten Sie um Hilfe.`,
    "action.trainer.scoreShortfall": (v, w) =>
      `${URGENCY[v.urgency].trainer}: Bieten Sie Hilfe zu den Themen hinter den niedrigen Ergebnissen an (im Schnitt ${w.n(v.mean)} von 100).`,
    "action.learner.lateWork": (v) =>
      `${URGENCY[v.urgency].learner}: Planen Sie Ihre Abgaben: Tragen Sie die nächsten Termine in Ihren Kalender ein und beginnen Sie jede Aufgabe eine Woche vorher.`,
    "action.trainer.lateWork": (v, w) =>
      `${URGENCY[v.urgency].trainer}: Fragen Sie, was den Terminen im Weg steht (${w.n(v.late)} von ${count(v.submitted, w, "Abgabe", "Abgaben")} ${
        v.late === 1 ? "kam" : "kamen"
      } zu spät).`,
    "action.learner.courseWeek": (v) =>
      `${URGENCY[v.urgency].learner}: Legen Sie zwei feste Lernzeiten pro Woche in Ihrem Kalender fest, denn die ersten Wochen bestimmen den Rhythmus.`,
    "action.trainer.courseWeek": (v) =>
      `${URGENCY[v.urgency].trainer}: Melden Sie sich in diesen ersten Wochen, in denen die meisten abbrechen.`,
    "action.learner.studyLoad": (v) =>
      `${URGENCY[v.urgency].learner}: Planen Sie Ihre Woche über alle Kurse hinweg; verschieben Sie einen Kurs, wenn das Pensum zu groß ist.`,
    "action.trainer.studyLoad": (v, w) =>
      `${URGENCY[v.urgency].trainer}: Sprechen Sie über das Pensum, denn die lernende Person belegt ${w.n(v.credits)} Credits gleichzeitig.`,
    "action.learner.quiet": (v, w) =>
      `Seit ${count(v.weeks, w, "Woche", "Wochen")} keine Lektion abgeschlossen: Machen Sie diese Woche mit einer Lektion dort weiter, wo Sie aufgehört haben.`,
    "action.trainer.quiet": (v, w) =>
      `Seit ${count(v.weeks, w, "Woche", "Wochen")} keine Lektion abgeschlossen: Fragen Sie, was die lernende Person aufgehalten hat, und helfen Sie beim Wiedereinstieg.`,
    "action.learner.firstSteps": () =>
      "Schließen Sie Ihre erste Lektion und Aufgabe ab, damit Ihr Fortschritt verfolgt werden kann.",
    "action.trainer.firstSteps": () =>
      "Begrüßen Sie die lernende Person und prüfen Sie, ob sie die erste Lektion erreicht: Es gibt noch keinen Verlauf, der etwas aussagt.",
    "action.learner.noWorkYet": (v, w) =>
      `Nach ${count(v.weeks, w, "Woche", "Wochen")} im Kurs ist keine Lektion und keine Aufgabe von Ihnen erfasst: Schließen Sie diese Woche eine erste Lektion ab oder sagen Sie Ihrer Trainerin oder Ihrem Trainer, was Sie daran hindert.`,
    "action.trainer.noWorkYet": (v, w) =>
      `Nach ${count(v.weeks, w, "Woche", "Wochen")} im Kurs ist nichts erfasst: Kontaktieren Sie die lernende Person und klären Sie, ob sie den Kurs erreicht und was im Weg steht.`,
    "action.learner.steady": () =>
      "Behalten Sie Ihren Rhythmus bei: Nichts in Ihrer bisherigen Arbeit erhöht Ihr Risiko.",
    "action.trainer.steady": () =>
      "Beim Abbruchrisiko ist jetzt nichts zu tun; prüfen Sie es nach der nächsten Aufgabe erneut.",
  },
  badges: {
    first_steps: {
      name: "Erste Schritte",
      description: "Eine erste Lektion abgeschlossen.",
      criteria: "Schließen Sie eine beliebige Lektion ab.",
    },
    first_course: {
      name: "Kurs geschafft",
      description: "Einen ersten Kurs abgeschlossen.",
      criteria: "Schließen Sie alle Lektionen eines Kurses ab.",
    },
    course_collector: {
      name: "Kurssammlung",
      description: "Drei verschiedene Kurse abgeschlossen.",
      criteria: "Schließen Sie drei Kurse ab.",
    },
    streak_7: {
      name: "Wochenserie",
      description: "Sieben Tage in Folge gelernt.",
      criteria: "Lernen Sie an sieben aufeinanderfolgenden Tagen.",
    },
    streak_30: {
      name: "Monatsserie",
      description: "Dreißig Tage in Folge gelernt.",
      criteria: "Lernen Sie an dreißig aufeinanderfolgenden Tagen.",
    },
    perfect_score: {
      name: "Volle Punktzahl",
      description: "100 % in einer Aufgabe erreicht.",
      criteria: "Bestehen Sie eine Aufgabe mit voller Punktzahl.",
    },
    never_give_up: {
      name: "Nie aufgeben",
      description: "Eine Aufgabe nach einem Fehlversuch bestanden.",
      criteria: "Wiederholen Sie eine nicht bestandene Aufgabe und bestehen Sie sie.",
    },
    devlab_10: {
      name: "Stammgast im Lab",
      description: "Zehn DevLab-Sitzungen.",
      criteria: "Üben Sie zehnmal im DevLab.",
    },
    // 45 minutes: DEEP_WORK_MINUTES in edge/src/gamification/rules.ts.
    deep_work: {
      name: "Volle Konzentration",
      description: "Eine DevLab-Sitzung von 45 Minuten oder mehr.",
      criteria: "Bleiben Sie 45 Minuten in einer DevLab-Sitzung.",
    },
    lessons_50: {
      name: "Halbes Hundert",
      description: "Fünfzig Lektionen abgeschlossen.",
      criteria: "Schließen Sie fünfzig Lektionen ab.",
    },
    back_on_track: {
      name: "Wieder dabei",
      description: "Nach zwei Wochen Pause wieder gelernt.",
      criteria: "Lernen Sie wieder, nachdem Sie vierzehn Tage oder länger nicht gelernt haben.",
    },
  },
  levels: [
    "Neuling",
    "Entdecker",
    "Lehrling",
    "Praktiker",
    "Könner",
    "Experte",
    "Meister",
    "Champion",
    "Legende",
    "Koryphäe",
  ],
};
