/** Test fixture: a miniature OULAD directory (see convert.test.ts for what each row exercises). */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A miniature OULAD in the original release's quoted CSV, with one case per rule. */
export function writeMiniOulad(): string {
  const dir = mkdtempSync(join(tmpdir(), "ms8-oulad-"));
  const csv = (rows: (string | number)[][]) => `${rows.map((r) => r.map((c) => `"${c}"`).join(",")).join("\r\n")}\r\n`;
  writeFileSync(
    join(dir, "courses.csv"),
    csv([
      ["code_module", "code_presentation", "module_presentation_length"],
      ["XXX", "2013J", 240],
      ["YYY", "2014B", 200],
    ]),
  );
  writeFileSync(
    join(dir, "assessments.csv"),
    csv([
      ["code_module", "code_presentation", "id_assessment", "assessment_type", "date", "weight"],
      ["XXX", "2013J", 1, "TMA", 20, 10],
      ["XXX", "2013J", 2, "CMA", 30, 0],
      ["XXX", "2013J", 3, "Exam", "", 100],
      ["YYY", "2014B", 4, "TMA", 25, 20],
    ]),
  );
  writeFileSync(
    join(dir, "studentRegistration.csv"),
    csv([
      ["code_module", "code_presentation", "id_student", "date_registration", "date_unregistration"],
      ["XXX", "2013J", 100, -30, ""], // stays
      ["XXX", "2013J", 101, -10, 40], // withdraws after day 28
      ["XXX", "2013J", 102, -5, 20], // gone before day 28
      ["XXX", "2013J", 103, 35, ""], // registers after day 28
      ["XXX", "2013J", 104, "", 28], // leaves on day 28 itself
      ["YYY", "2014B", 100, -20, ""], // the same student in another module
    ]),
  );
  const info = ["gender", "region", "highest_education", "imd_band", "age_band", "num_of_prev_attempts"];
  writeFileSync(
    join(dir, "studentInfo.csv"),
    csv([
      ["code_module", "code_presentation", "id_student", ...info, "studied_credits", "disability", "final_result"],
      ["XXX", "2013J", 100, "F", "Scotland", "A Level or Equivalent", "20-30%", "35-55", 1, 120, "N", "Pass"],
      ["XXX", "2013J", 101, "M", "Wales", "HE Qualification", "90-100%", "0-35", 0, 60, "Y", "Withdrawn"],
      ["XXX", "2013J", 102, "M", "Wales", "HE Qualification", "90-100%", "0-35", 0, 60, "N", "Withdrawn"],
      ["XXX", "2013J", 103, "M", "Wales", "HE Qualification", "90-100%", "0-35", 0, 60, "N", "Pass"],
      ["XXX", "2013J", 104, "M", "Wales", "HE Qualification", "90-100%", "0-35", 0, 60, "N", "Withdrawn"],
      ["YYY", "2014B", 100, "F", "Scotland", "A Level or Equivalent", "20-30%", "35-55", 0, 120, "N", "Pass"],
    ]),
  );
  writeFileSync(
    join(dir, "studentAssessment.csv"),
    csv([
      ["id_assessment", "id_student", "date_submitted", "is_banked", "score"],
      [1, 100, 19, 0, 78], // on time
      [2, 100, 31, 0, 90], // after day 28: unknown on day 28
      [1, 101, 26, 0, 45], // late, on the day the clocks went back
      [4, 100, -3, 1, 70], // banked from an earlier attempt
    ]),
  );
  return dir;
}
