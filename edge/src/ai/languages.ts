/**
 * The languages the AI's texts are written in (English, German, Arabic: the widgets' and the
 * dashboard's), and the words of the local advisor's texts in each. Gemini is told the language in
 * its instructions; the figures it leaves as {placeholders} are filled in the same language here.
 */
import type { Audience, DropoffRisk, Forecast, TextLanguage } from "../contract.ts";

/** The words that change with the reader: a trainer reads about "the learner", with the trainer's actions. */
export interface Voice {
  gap: string;
  goals: string;
  untaken: string;
  risk: string;
  steady: string;
  nudge: string;
  pace: string;
  score: string;
}

export interface LanguageTexts {
  /** Intl locale for numbers, percentages and dates. */
  locale: string;
  voice: Record<Audience, Voice>;
  /** "Builds SQL and Python, <gap>." */
  builds: (skills: string, gap: string) => string;
  /** "<goals> (cloud, data)." */
  matchesGoals: (goals: string, hits: string) => string;
  /** "<untaken> (beginner level)." */
  untakenCourse: (untaken: string, level: string | undefined) => string;
  progressIn: (skill: string) => string;
  complete: (course: string) => string;
  practice: (skill: string) => string;
  /** Head of the risk explanation, with {riskLevel} and {riskPercent}. */
  riskHead: (risk: string) => string;
  biggestFactor: string;
  keepsDown: string;
  noProjection: string;
  paceBetween: (pace: string) => string;
  paceOnly: (pace: string) => string;
  scoreBetween: (score: string) => string;
  scoreOnly: (score: string) => string;
  confidence: string;
  levels: Record<DropoffRisk["riskLevel"], string>;
  confidences: Record<Forecast["confidence"], string>;
  /** A factor as it reads mid-sentence, by its machine name. */
  factors: Record<string, string>;
  /**
   * Tells Gemini which language to write in, for whom: empty for English (the instructions are
   * English). `placeholders`: the text use cases, whose figures are {placeholders}.
   */
  instruction: (audience: Audience, placeholders: boolean) => string;
  /** The catalogue's course levels, as the reader says them. */
  courseLevels: Record<string, string>;
}

/**
 * Gemini's language instruction for a language other than English: whom to address and how (the
 * learner who reads it, or their trainer, with the learner in the third person), and, for the text
 * use cases, to keep the placeholders (with what Gemini must know to make them agree).
 */
function writeIn(how: { language: string; address: string; learner: string; placeholders?: string }) {
  return (audience: Audience, placeholders: boolean): string => {
    const reader =
      audience === "learner"
        ? `Write the text in ${how.language} and address the learner, who reads it, ${how.address}.`
        : `Write the text in ${how.language} and address the reader, the learner's trainer, ${how.address}; refer to the learner in the third person (${how.learner}).`;
    if (!placeholders) return reader;
    return `${reader} Keep every {placeholder} exactly as given${how.placeholders ? `; ${how.placeholders}` : ""}.`;
  };
}

const en: LanguageTexts = {
  locale: "en",
  voice: {
    learner: {
      gap: "where your current level is below the level your role needs",
      goals: "Matches your goals",
      untaken: "A next step in the catalogue you have not taken yet",
      risk: "Your drop-off risk",
      steady: "Keep up your current rhythm.",
      nudge: "A short session this week helps most.",
      pace: "At your current pace you should finish around",
      score: "Your expected final score is",
    },
    trainer: {
      gap: "where the learner's current level is below the level their role needs",
      goals: "Matches the learner's goals",
      untaken: "A next step in the catalogue the learner has not taken yet",
      risk: "This learner's drop-off risk",
      steady: "No action needed now; review again after the next assessment.",
      nudge: "A personal check-in this week helps most.",
      pace: "At their current pace the learner should finish around",
      score: "Their expected final score is",
    },
  },
  builds: (skills, gap) => `Builds ${skills}, ${gap}.`,
  matchesGoals: (goals, hits) => `${goals} (${hits}).`,
  untakenCourse: (untaken, level) => `${untaken} (${level ?? "any"} level).`,
  progressIn: (skill) => `Progress in ${skill}`,
  complete: (course) => `Complete ${course}`,
  practice: (skill) => `Practice ${skill}`,
  riskHead: (risk) => `${risk} is {riskLevel} for this point of the course ({riskPercent} chance of leaving).`,
  biggestFactor: "The biggest factor is {topFactor}, {topFactorShare} of what raises it.",
  keepsDown: "What keeps it down most is {topFactor} ({topFactorShare} of what lowers it).",
  noProjection: "There is not enough activity yet to project a completion date.",
  paceBetween: (pace) => `${pace} {projectedCompletion} (between {earliestCompletion} and {latestCompletion}).`,
  paceOnly: (pace) => `${pace} {projectedCompletion}.`,
  scoreBetween: (score) => `${score} {expectedScore} (likely between {scoreLow} and {scoreHigh}).`,
  scoreOnly: (score) => `${score} {expectedScore}.`,
  confidence: "Confidence in this forecast is {confidence}.",
  levels: { low: "low", medium: "medium", high: "high", critical: "critical" },
  confidences: { low: "low", medium: "medium", high: "high" },
  factors: {},
  instruction: () => "",
  courseLevels: {},
};

const de: LanguageTexts = {
  locale: "de",
  voice: {
    learner: {
      gap: "wo Ihr Niveau noch unter dem liegt, das Ihre Rolle verlangt",
      goals: "Passt zu Ihren Zielen",
      untaken: "Ein Kurs im Katalog, den Sie noch nicht belegt haben",
      risk: "Ihr Abbruchrisiko",
      steady: "Behalten Sie Ihren Rhythmus bei.",
      nudge: "Eine kurze Lerneinheit in dieser Woche hilft am meisten.",
      pace: "In Ihrem aktuellen Tempo sollten Sie etwa am",
      score: "Ihr erwartetes Endergebnis ist",
    },
    trainer: {
      gap: "wo das Niveau der lernenden Person noch unter dem liegt, das ihre Rolle verlangt",
      goals: "Passt zu den Zielen der lernenden Person",
      untaken: "Ein Kurs im Katalog, den die lernende Person noch nicht belegt hat",
      risk: "Das Abbruchrisiko dieser lernenden Person",
      steady: "Jetzt ist nichts zu tun; prüfen Sie die Lage nach der nächsten Leistungsüberprüfung erneut.",
      nudge: "Ein persönliches Gespräch in dieser Woche hilft am meisten.",
      pace: "In ihrem aktuellen Tempo sollte die lernende Person etwa am",
      score: "Das erwartete Endergebnis der lernenden Person ist",
    },
  },
  builds: (skills, gap) => `Stärkt ${skills}, ${gap}.`,
  matchesGoals: (goals, hits) => `${goals} (${hits}).`,
  untakenCourse: (untaken, level) => `${untaken} (Niveau: ${level ?? "beliebig"}).`,
  progressIn: (skill) => `Fortschritt in ${skill}`,
  complete: (course) => `${course} abschließen`,
  practice: (skill) => `${skill} üben`,
  riskHead: (risk) =>
    `${risk} ist an diesem Punkt des Kurses {riskLevel} ({riskPercent} Wahrscheinlichkeit eines Abbruchs).`,
  biggestFactor: "Größter Faktor: {topFactor}, {topFactorShare} dessen, was es erhöht.",
  keepsDown: "Was es am meisten senkt: {topFactor} ({topFactorShare} dessen, was es senkt).",
  noProjection: "Es gibt noch zu wenig Aktivität, um ein Abschlussdatum vorherzusagen.",
  paceBetween: (pace) =>
    `${pace} {projectedCompletion} fertig sein (zwischen dem {earliestCompletion} und dem {latestCompletion}).`,
  paceOnly: (pace) => `${pace} {projectedCompletion} fertig sein.`,
  scoreBetween: (score) => `${score} {expectedScore} (wahrscheinlich zwischen {scoreLow} und {scoreHigh}).`,
  scoreOnly: (score) => `${score} {expectedScore}.`,
  confidence: "Die Sicherheit dieser Vorhersage ist {confidence}.",
  levels: { low: "gering", medium: "mittel", high: "hoch", critical: "kritisch" },
  confidences: { low: "gering", medium: "mittel", high: "hoch" },
  factors: {
    missedWork: "versäumte Aufgaben",
    lateWork: "verspätete Abgaben",
    scoreShortfall: "die Ergebnisse",
    studyLoad: "das Lernpensum",
    courseWeek: "die Zeit im Kurs",
  },
  instruction: writeIn({ language: "German", address: "with the formal Sie", learner: "die lernende Person" }),
  courseLevels: { beginner: "Einsteiger", intermediate: "Mittelstufe", advanced: "Fortgeschritten" },
};

const ar: LanguageTexts = {
  locale: "ar",
  voice: {
    learner: {
      gap: "حيث مستواك الحالي أدنى من المستوى الذي يتطلبه دورك",
      goals: "تناسب أهدافك",
      untaken: "دورة في الكتالوج لم تلتحق بها بعد",
      risk: "خطر انقطاعك",
      steady: "حافظ على إيقاعك الحالي.",
      nudge: "جلسة قصيرة هذا الأسبوع هي الأكثر فائدة.",
      pace: "بوتيرتك الحالية يُتوقّع أن تُنهي الدورة في نحو",
      score: "درجتك النهائية المتوقعة",
    },
    trainer: {
      gap: "حيث المستوى الحالي للمتعلّم أدنى من المستوى الذي يتطلبه دوره",
      goals: "تناسب أهداف المتعلّم",
      untaken: "دورة في الكتالوج لم يلتحق بها المتعلّم بعد",
      risk: "خطر انقطاع هذا المتعلّم",
      steady: "لا حاجة إلى إجراء الآن؛ راجِع مجددًا بعد التقييم القادم.",
      nudge: "متابعة شخصية هذا الأسبوع هي الأكثر فائدة.",
      pace: "بوتيرته الحالية يُتوقّع أن يُنهي المتعلّم الدورة في نحو",
      score: "درجته النهائية المتوقعة",
    },
  },
  builds: (skills, gap) => `تنمّي ${skills}، ${gap}.`,
  matchesGoals: (goals, hits) => `${goals} (${hits}).`,
  untakenCourse: (untaken, level) => `${untaken} (المستوى: ${level ?? "أي مستوى"}).`,
  progressIn: (skill) => `تقدّم في ${skill}`,
  complete: (course) => `إكمال ${course}`,
  practice: (skill) => `التدرّب على ${skill}`,
  riskHead: (risk) => `${risk} {riskLevel} في هذه المرحلة من الدورة (احتمال الانقطاع {riskPercent}).`,
  biggestFactor: "العامل الأكبر: {topFactor}، بنسبة {topFactorShare} ممّا يرفعه.",
  keepsDown: "أكثر ما يخفضه: {topFactor} (بنسبة {topFactorShare} ممّا يخفضه).",
  noProjection: "لا يوجد نشاط كافٍ بعد لتوقّع موعد الإنهاء.",
  paceBetween: (pace) => `${pace} {projectedCompletion} (بين {earliestCompletion} و{latestCompletion}).`,
  paceOnly: (pace) => `${pace} {projectedCompletion}.`,
  scoreBetween: (score) => `${score} {expectedScore} (على الأرجح بين {scoreLow} و{scoreHigh}).`,
  scoreOnly: (score) => `${score} {expectedScore}.`,
  confidence: "درجة الثقة في هذا التوقّع: {confidence}.",
  levels: { low: "منخفض", medium: "متوسط", high: "مرتفع", critical: "حرج" },
  confidences: { low: "منخفضة", medium: "متوسطة", high: "مرتفعة" },
  factors: {
    missedWork: "الأعمال الفائتة",
    lateWork: "التسليمات المتأخرة",
    scoreShortfall: "الدرجات",
    studyLoad: "عبء الدراسة",
    courseWeek: "المدة في الدورة",
  },
  instruction: writeIn({
    language: "Modern Standard Arabic",
    address: "in the masculine singular",
    learner: "المتعلّم",
    placeholders: "{riskLevel} is a masculine adjective describing الخطر, {confidence} a feminine one describing الثقة",
  }),
  courseLevels: { beginner: "مبتدئ", intermediate: "متوسط", advanced: "متقدّم" },
};

export const LANGUAGE_TEXTS: Record<TextLanguage, LanguageTexts> = { en, de, ar };

/** "a, b and c" in the language (Intl's list in German and Arabic), each item once. */
export function listIn(language: TextLanguage, items: string[]): string {
  const unique = [...new Set(items)];
  if (language !== "en")
    return new Intl.ListFormat(LANGUAGE_TEXTS[language].locale, { type: "conjunction" }).format(unique);
  if (unique.length <= 1) return unique.join("");
  return `${unique.slice(0, -1).join(", ")} and ${unique.at(-1)}`;
}
