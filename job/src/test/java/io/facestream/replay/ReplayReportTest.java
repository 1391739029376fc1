package io.facestream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CSV fields of the report: quoting, and names that a spreadsheet would run as formulas. */
class ReplayReportTest {
    @Test
    void quotesSeparatorsQuotesAndLineBreaks() {
        assertThat(ReplayReport.csvField("ana")).isEqualTo("ana");
        assertThat(ReplayReport.csvField("a,b")).isEqualTo("\"a,b\"");
        assertThat(ReplayReport.csvField("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(ReplayReport.csvField("a\nb")).isEqualTo("\"a\nb\"");
        assertThat(ReplayReport.csvField("a\rb")).isEqualTo("\"a\rb\"");
        assertThat(ReplayReport.csvField("José 李")).isEqualTo("José 李");
    }

    @Test
    void defusesFormulas() {
        assertThat(ReplayReport.csvField("=HYPERLINK(\"x\")"))
                .isEqualTo("\"'=HYPERLINK(\"\"x\"\")\"");
        assertThat(ReplayReport.csvField("+1")).isEqualTo("'+1");
        assertThat(ReplayReport.csvField("-2")).isEqualTo("'-2");
        assertThat(ReplayReport.csvField("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(ReplayReport.csvField("0.512")).isEqualTo("0.512");
    }
}
