import type { Messages } from "./en.ts";

/** Arabic (right to left). */
export const ar: Messages = {
  dir: "rtl",
  common: {
    loading: "جارٍ التحميل…",
    retry: "حاول مرة أخرى",
    errorTitle: "تعذّر تحميل هذا المحتوى",
    networkError: "لا يمكن الوصول إلى MS8 الآن. تحقّق من الاتصال ثم حاول مرة أخرى.",
    serverError: "واجهت خدمة التحليلات مشكلة. يُرجى المحاولة بعد قليل.",
    rateLimited: "عدد كبير من الطلبات الآن. انتظر قليلًا ثم حاول مرة أخرى.",
    unexpectedError: "حدث خطأ أثناء التحميل.",
    noToken: "سجّل الدخول بحساب مسموح له برؤية بيانات هذا المتعلم.",
    notSignedIn: "انتهت جلستك. سجّل الدخول مرة أخرى لعرض هذا.",
    forbidden: "ليست لديك صلاحية لعرض بيانات هذا المتعلّم.",
    notFound: "لا يوجد متعلّم بهذا المعرّف، أو أنه غير ظاهر لك.",
    notConfiguredTitle: "الأداة غير مُهيّأة",
    notConfigured: (missing) =>
      missing.length === 1
        ? `تحتاج هذه الأداة إلى السمة ${missing[0]}.`
        : `تحتاج هذه الأداة إلى السمتين ${missing.join(" و ")}.`,
    sampleData: "بيانات تجريبية",
    updated: (relative) => `حُدّث ${relative}`,
    refreshed: (title) => `${title}: تم تحديث البيانات`,
    showTable: "عرض كجدول",
  },
  velocity: {
    title: "وتيرة التعلّم",
    currentPace: "الوتيرة الحالية",
    targetPace: "المطلوب من الآن",
    unitsCompleted: "الوحدات المنجزة",
    perWeek: "وحدة/أسبوع",
    trend: { up: "في ارتفاع", down: "في انخفاض", flat: "مستقرة" },
    /** The last two weeks had units, the two before none: no percentage to give. */
    trendFromNone: "وحدات من جديد بعد أسبوعين بلا وحدات",
    trendVsEarlier: (direction, percent) =>
      direction === "flat"
        ? "عدد الوحدات تقريبًا كما في الأسبوعين السابقين"
        : `وحدات ${direction === "up" ? "أكثر" : "أقل"} بنسبة ${percent} من الأسبوعين السابقين`,
    status: { ahead: "متقدّم", on_track: "على المسار", behind: "متأخّر", at_risk: "متأخّر كثيرًا" },
    estimatedCompletion: "الإكمال المتوقّع",
    noEstimate: "لا يوجد نشاط كافٍ بعد",
    progress: (done, total) => `أُنجز ${done} من ${total} وحدة`,
    chartLabel: "الوتيرة الأسبوعية مقارنة بالهدف",
    chartSummary: (weeks, latest, target) =>
      `${weeks} أسابيع معروضة. الأسبوع الماضي: ${latest} وحدة، والهدف ${target}.`,
    week: "أسبوع",
    units: "الوحدات",
    target: "المخطط أسبوعيًا",
    empty: "لا توجد تسجيلات بعد. تظهر الوتيرة بعد إكمال أول وحدة.",
  },
  risk: {
    title: "خطر الانقطاع",
    level: { low: "خطر منخفض", medium: "خطر متوسط", high: "خطر مرتفع", critical: "خطر حرج" },
    score: "درجة الخطر",
    scoreOf: (percent) => `درجة الخطر ${percent}`,
    typical: (percent) => `المعتاد في هذه المرحلة من الدورة: ${percent}`,
    factors: "ما الذي يؤثّر فيها",
    factorNames: {
      missedWork: "أعمال فائتة",
      lateWork: "تسليمات متأخرة",
      scoreShortfall: "الدرجات",
      studyLoad: "عبء الدراسة",
      courseWeek: "المدة في الدورة",
    },
    share: (percent, effect) => `${percent} ممّا ${effect === "lowers" ? "يخفضه" : "يرفعه"}`,
    actions: "الخطوات التالية المقترحة",
    forLearner: "للمتعلّم",
    forTrainer: "للمدرّب",
    forYou: "لك",
    missing: (signals) => `غير معروف بعد: ${signals}`,
    empty: "لا توجد تسجيلات بعد، لذا لا يوجد ما يُقيَّم.",
  },
  badges: {
    title: "الإنجازات",
    points: "النقاط",
    level: (level, name) => `المستوى ${level} · ${name}`,
    toNext: (into, needed, next) => `${into} من ${needed} نقطة للوصول إلى المستوى ${next}`,
    topLevel: "تم بلوغ أعلى مستوى",
    currentStreak: "السلسلة الحالية",
    longestStreak: "أطول سلسلة",
    earned: "مكتسبة",
    locked: "مقفلة",
    earnedOn: (date) => `اكتُسبت في ${date}`,
    howToEarn: (criteria) => `طريقة الحصول عليها: ${criteria}`,
    badgeList: "الشارات",
    empty: "لا توجد تسجيلات بعد. تبدأ النقاط والشارات مع أول دورة.",
    noPoints: "لا نقاط بعد. تأتي النقاط والسلاسل والشارات مع نشاط التعلّم؛ وهذه طريقة كسبها.",
  },
};
