/**
 * The BFF's sentences in Arabic (see server-texts.ts), addressing the learner as the widgets'
 * Arabic catalogue does. Counts are phrased "n من أصل m من ..." or "(n)" where Arabic would
 * otherwise need the counted noun to agree with the number.
 */
import type { MissedAssessment } from "@ms8/edge/contract";
import type { ServerTexts, Urgency, Wording } from "./server-wording.ts";

const URGENCY: Urgency = {
  low: { learner: "في المرة القادمة التي تدرس فيها", trainer: "في المتابعة القادمة" },
  medium: { learner: "هذا الأسبوع", trainer: "هذا الأسبوع" },
  high: { learner: "خلال الأيام القليلة القادمة", trainer: "خلال الأيام القليلة القادمة" },
  critical: { learner: "اليوم", trainer: "اليوم" },
};

/** A number of weeks with the noun in the form Arabic gives it after that number. */
function weeks(n: number, w: Wording): string {
  switch (w.plural(n)) {
    case "one":
      return "أسبوع واحد";
    case "two":
      return "أسبوعين";
    case "few":
      return `${w.n(n)} أسابيع`;
    case "many":
      return `${w.n(n)} أسبوعًا`;
    default:
      return `${w.n(n)} أسبوع`;
  }
}

const named = (missed: MissedAssessment[], w: Wording) =>
  w.named(
    missed,
    (date) => `التقييم المستحق في ${date}`,
    (n, firstTwo) => `التقييمات الفائتة (${n})، بدءًا من ${firstTwo}`,
  );

export const ar: ServerTexts = {
  risk: {
    "reason.missedWork.some": (v, w) =>
      `لم يُسلَّم ${w.n(v.missed)} من أصل ${w.n(v.due)} من التقييمات المستحقة حتى الآن${
        v.weightPercent === null ? "" : ` (${w.percent(v.weightPercent)} من وزن الدرجة المستحق)`
      }.`,
    "reason.missedWork.none": (v, w) => `سُلِّمت كل التقييمات المستحقة حتى الآن (${w.n(v.due)}).`,
    "reason.lateWork.some": (v, w) =>
      `سُلِّم ${w.n(v.late)} من أصل ${w.n(v.submitted)} من التقييمات المسلَّمة بعد موعد استحقاقها.`,
    "reason.lateWork.none": (v, w) => `سُلِّمت كل التقييمات المسلَّمة في موعدها (${w.n(v.submitted)}).`,
    "reason.scoreShortfall.below": (v, w) =>
      `متوسط الدرجات ${w.n(v.mean)} من ${w.n(100)} في التقييمات المصحَّحة (${w.n(v.marked)})، وهو أقل من المعتاد (${w.n(v.typical)}).`,
    "reason.scoreShortfall.above": (v, w) =>
      `متوسط الدرجات ${w.n(v.mean)} من ${w.n(100)} في التقييمات المصحَّحة (${w.n(v.marked)})، وهو أعلى من المعتاد (${w.n(v.typical)}).`,
    "reason.courseWeek.early": (v, w) =>
      `في الأسبوع ${w.n(v.week)} من الدورة: معظم من ينقطعون يفعلون ذلك في الأسابيع الأولى.`,
    "reason.courseWeek.past": (v, w) =>
      `في الأسبوع ${w.n(v.week)} من الدورة: انقضت الأسابيع التي ينقطع فيها معظم المنقطعين.`,
    "reason.studyLoad.more": (v, w) =>
      `الساعات المعتمدة في آنٍ واحد: ${w.n(v.credits)}، أكثر من المعتاد (${w.n(v.typical)}).`,
    "reason.studyLoad.less": (v, w) =>
      `الساعات المعتمدة في آنٍ واحد: ${w.n(v.credits)}، أقل من المعتاد (${w.n(v.typical)}).`,
    "missing.missedWork": () => "الأعمال الفائتة: لم يحن موعد أي تقييم بعد، لذا تعدّها درجة الخطر معتادة.",
    "missing.scoreShortfall": () => "الدرجات: لم يُصحَّح أي تقييم بعد، لذا تعدّها درجة الخطر معتادة.",
    "missing.lateWork": () => "التسليمات المتأخرة: لم يُسلَّم شيء مقابل موعد استحقاق بعد، لذا تعدّها درجة الخطر معتادة.",
    "missing.studyLoad": () => "عبء الدراسة: الساعات المعتمدة للمتعلّم غير مسجّلة، لذا تفترض درجة الخطر عبئًا معتادًا.",
    "missing.courseWeek": () => "المدة في الدورة: المتعلّم غير مسجّل في أي دورة، لذا تفترض درجة الخطر أسبوعًا معتادًا.",
    "action.learner.missedWork": (v, w) =>
      `${URGENCY[v.urgency].learner}: أكمل ${named(v.missed, w)} بعد فوات ${
        v.missed.length === 1 ? "موعده" : "مواعيدها"
      }، أو اسأل مدرّبك عن تمديد.`,
    "action.trainer.missedWork": (v, w) =>
      `${URGENCY[v.urgency].trainer}: تواصل بشأن الأعمال الفائتة (${named(v.missed, w)}) واتفق معه على خطة للّحاق.`,
    "action.learner.scoreShortfall": (v) =>
      `${URGENCY[v.urgency].learner}: راجع أضعف مواضيعك مستعينًا بالملاحظات على أعمالك المصحَّحة، واطلب المساعدة.`,
    "action.trainer.scoreShortfall": (v, w) =>
      `${URGENCY[v.urgency].trainer}: قدّم المساعدة في المواضيع التي وراء الدرجات المنخفضة (المتوسط ${w.n(v.mean)} من ${w.n(100)}).`,
    "action.learner.lateWork": (v) =>
      `${URGENCY[v.urgency].learner}: خطّط لتسليماتك: ضع مواعيد الاستحقاق القادمة في تقويمك وابدأ كل تقييم قبل موعده بأسبوع.`,
    "action.trainer.lateWork": (v, w) =>
      `${URGENCY[v.urgency].trainer}: اسأل عمّا يعيق الالتزام بالمواعيد (تأخّر ${w.n(v.late)} من أصل ${w.n(v.submitted)} من التسليمات).`,
    "action.learner.courseWeek": (v) =>
      `${URGENCY[v.urgency].learner}: خصّص موعدين ثابتين للدراسة كل أسبوع في تقويمك، فالأسابيع الأولى تحدّد الإيقاع.`,
    "action.trainer.courseWeek": (v) =>
      `${URGENCY[v.urgency].trainer}: تابع مع المتعلّم خلال هذه الأسابيع الأولى، حين يقع معظم الانقطاع.`,
    "action.learner.studyLoad": (v) =>
      `${URGENCY[v.urgency].learner}: خطّط لأسبوعك عبر كل دوراتك، وفكّر في تأجيل إحداها إن كان العبء كبيرًا.`,
    "action.trainer.studyLoad": (v, w) =>
      `${URGENCY[v.urgency].trainer}: تحدّث عن عبء الدراسة، فالمتعلّم يحمل في آنٍ واحد ساعات معتمدة عددها ${w.n(v.credits)}.`,
    "action.learner.quiet": (v, w) =>
      `لم تُكمل أي درس منذ ${weeks(v.weeks, w)}: استأنف من حيث توقفت بدرس واحد هذا الأسبوع.`,
    "action.trainer.quiet": (v, w) =>
      `لم يُكمل المتعلّم أي درس منذ ${weeks(v.weeks, w)}: اسأله عمّا أوقفه وساعده على العودة.`,
    "action.learner.firstSteps": () => "أكمل أول درس وأول تقييم لك حتى يمكن متابعة تقدّمك.",
    "action.trainer.firstSteps": () => "رحّب بالمتعلّم وتأكّد من أنه يصل إلى الدرس الأول: لا يوجد سجلّ بعد يُحكم عليه به.",
    "action.learner.noWorkYet": (v, w) =>
      `لا يوجد درس أو تقييم مسجّل لك بعد ${weeks(v.weeks, w)} في الدورة: أكمل درسًا أول هذا الأسبوع، أو أخبر مدرّبك بما يعيقك.`,
    "action.trainer.noWorkYet": (v, w) =>
      `لا يوجد عمل مسجّل بعد ${weeks(v.weeks, w)} في الدورة: تواصل مع المتعلّم لتتأكّد من أنه يصل إليها وما الذي يعيقه.`,
    "action.learner.steady": () => "حافظ على إيقاعك الحالي: لا شيء في عملك حتى الآن يرفع خطرك.",
    "action.trainer.steady": () => "لا حاجة إلى إجراء بشأن خطر الانقطاع الآن؛ راجعه مجددًا بعد التقييم القادم.",
  },
  badges: {
    first_steps: { name: "الخطوات الأولى", description: "أكملتَ أول درس.", criteria: "أكمل أي درس." },
    first_course: { name: "إتمام دورة", description: "أكملتَ أول دورة.", criteria: "أكمل كل دروس دورة ما." },
    course_collector: {
      name: "جامع الدورات",
      description: "أكملتَ ثلاث دورات مختلفة.",
      criteria: "أكمل ثلاث دورات.",
    },
    streak_7: {
      name: "سلسلة أسبوع",
      description: "تعلّمتَ سبعة أيام متتالية.",
      criteria: "تعلّم شيئًا في سبعة أيام متتالية.",
    },
    streak_30: {
      name: "سلسلة شهر",
      description: "تعلّمتَ ثلاثين يومًا متتاليًا.",
      criteria: "تعلّم شيئًا في ثلاثين يومًا متتاليًا.",
    },
    perfect_score: {
      name: "الدرجة الكاملة",
      description: "حصلتَ على الدرجة الكاملة في تقييم.",
      criteria: "اجتز تقييمًا بدرجة كاملة.",
    },
    never_give_up: {
      name: "لا استسلام",
      description: "اجتزتَ تقييمًا بعد الرسوب فيه.",
      criteria: "أعد تقييمًا رسبت فيه واجتزه.",
    },
    devlab_10: {
      name: "مرتاد المختبر",
      description: "أتممتَ عشر جلسات في DevLab.",
      criteria: "تدرّب في DevLab عشر مرات.",
    },
    // 45 minutes: DEEP_WORK_MINUTES in edge/src/gamification/rules.ts.
    deep_work: {
      name: "تركيز عميق",
      description: "جلسة في DevLab مدتها خمس وأربعون دقيقة أو أكثر.",
      criteria: "ابقَ في جلسة DevLab واحدة خمسًا وأربعين دقيقة.",
    },
    lessons_50: { name: "نصف المئة", description: "أكملتَ خمسين درسًا.", criteria: "أكمل خمسين درسًا." },
    back_on_track: {
      name: "العودة إلى المسار",
      description: "عدتَ إلى التعلّم بعد أسبوعين من الانقطاع.",
      criteria: "تعلّم مجددًا بعد أربعة عشر يومًا أو أكثر دون تعلّم.",
    },
  },
  levels: ["مبتدئ", "مستكشف", "متدرّب", "ممارس", "منجز", "خبير", "متمكّن", "بطل", "أسطورة", "نجم ساطع"],
};
