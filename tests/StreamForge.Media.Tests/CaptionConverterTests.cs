using System.Text;

namespace StreamForge.Media.Tests;

public sealed class CaptionConverterTests
{
    [Fact]
    public void Srt_becomes_webvtt_with_full_timestamps_and_escaped_text()
    {
        var srt = "\uFEFF1\r\n00:00:01,000 --> 00:00:03,500\r\nHello <i>world</i>\r\n\r\n2\r\n0:00:04,2 --> 0:01:02,250\r\n<font color=\"red\">a < b & c</font>\r\nsecond line\r\n";
        var doc = CaptionConverter.Convert(Encoding.UTF8.GetBytes(srt));
        Assert.Equal(
            "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\nHello <i>world</i>\n\n00:00:04.200 --> 00:01:02.250\na &lt; b &amp; c\nsecond line\n",
            doc.Vtt);
        Assert.Equal(2, doc.CueCount);
        Assert.Equal(62.25, doc.LastCueEnd, 3);
    }

    [Fact]
    public void Webvtt_is_normalised_keeping_ids_settings_and_styles_and_dropping_notes()
    {
        var vtt = "WEBVTT - title\r\nKind: captions\r\n\r\nSTYLE\r\n::cue { color: yellow }\r\n\r\nNOTE a remark\r\n\r\nintro\r\n00:01.000 --> 00:02.000 line:0 align:start\r\nHi\r\n\r\n01:00:00.000 --> 01:00:01.000\r\nLate\r\n";
        var doc = CaptionConverter.Convert(vtt);
        Assert.Equal(
            "WEBVTT\n\nSTYLE\n::cue { color: yellow }\n\nintro\n00:00:01.000 --> 00:00:02.000 line:0 align:start\nHi\n\n01:00:00.000 --> 01:00:01.000\nLate\n",
            doc.Vtt);
        Assert.Equal(2, doc.CueCount);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("WEBVTT\n\n", "no cues")]
    [InlineData("just some words\nand more", "neither a WebVTT")]
    [InlineData("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nbackwards", "before it starts")]
    [InlineData("WEBVTT\n\n00:00:01.000 --> 1:2:3\nbad", "not a valid cue timing")]
    [InlineData("WEBVTT\n\n00:61:01.000 --> 00:62:02.000\nbad", "above 59")]
    [InlineData("WEBVTT\n\ncue id only\n", "expected a cue timing line")]
    [InlineData("1\n00:00:01,000 --> 00:00:02,000\nok\n\n2\nno timing here\n", "Line 6")]
    [InlineData("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nnul \0 here", "control character")]
    public void Bad_files_are_refused_with_a_reason(string text, string reason)
    {
        var e = Assert.Throws<CaptionFormatException>(() => CaptionConverter.Convert(Encoding.UTF8.GetBytes(text)));
        Assert.Contains(reason, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Binary_and_non_utf8_bytes_are_refused()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D };
        Assert.Contains("UTF-8", Assert.Throws<CaptionFormatException>(() => CaptionConverter.Convert(png)).Message);
        var latin1 = Encoding.Latin1.GetBytes("1\n00:00:01,000 --> 00:00:02,000\nCaf\u00e9\n");
        Assert.Contains("UTF-8", Assert.Throws<CaptionFormatException>(() => CaptionConverter.Convert(latin1)).Message);
    }

    [Fact]
    public void Payload_cannot_smuggle_a_timing_arrow()
    {
        var doc = CaptionConverter.Convert("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\na --> b\n");
        Assert.Contains("a --&gt; b", doc.Vtt);
    }

    [Theory]
    [InlineData("en", "en")]
    [InlineData("EN-us", "en-US")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("es-419", "es-419")]
    [InlineData("../etc", null)]
    [InlineData("en us", null)]
    [InlineData("e", null)]
    [InlineData("en-", null)]
    [InlineData("english-language-tag-that-goes-on-and-on", null)]
    [InlineData("", null)]
    [InlineData("en\n", null)]
    [InlineData("pt-BR\n", null)]
    public void Language_tags_are_checked_and_canonicalised(string tag, string? expected) =>
        Assert.Equal(expected, LanguageTag.Normalize(tag));

    [Fact]
    public void Webvtt_cue_text_keeps_its_own_tags_and_escapes_every_other_markup()
    {
        var vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
            + "<script>alert(1)</script><img src=x onerror=alert(2)>\n"
            + "<i onclick=x>a</i> <b>b</b> <u>u</u> <c.yellow.bg_blue>c</c> <v Bob>hi</v> <lang en-GB>colour</lang>\n"
            + "<ruby>漢<rt>kan</rt></ruby> <00:00:01.500>later & &amp; &#x41; &lt;ok&gt; 3 > 2\n";
        var doc = CaptionConverter.Convert(vtt);
        Assert.Equal(
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n"
            + "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;\n"
            + "&lt;i onclick=x&gt;a</i> <b>b</b> <u>u</u> <c.yellow.bg_blue>c</c> <v Bob>hi</v> <lang en-GB>colour</lang>\n"
            + "<ruby>漢<rt>kan</rt></ruby> <00:00:01.500>later &amp; &amp; &#x41; &lt;ok&gt; 3 &gt; 2\n",
            doc.Vtt);
        Assert.DoesNotContain("<script", doc.Vtt, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", doc.Vtt, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("<v Bob<script>>x", "&lt;v Bob&lt;script&gt;&gt;x")]
    [InlineData("<v Bob\"><img>", "&lt;v Bob\"&gt;&lt;img&gt;")]
    [InlineData("<lang en onerror=x>", "&lt;lang en onerror=x&gt;")]
    [InlineData("<v Bob onmouseover=alert(1)>", "&lt;v Bob onmouseover=alert(1)&gt;")]
    [InlineData("<v O'Brien>hi</v>", "<v O'Brien>hi</v>")]
    [InlineData("</script>", "&lt;/script&gt;")]
    [InlineData("<B>loud</B>", "&lt;B&gt;loud&lt;/B&gt;")]
    [InlineData("<c.x onmouseover=y>", "&lt;c.x onmouseover=y&gt;")]
    public void Webvtt_tags_outside_the_allowed_set_are_shown_as_text(string payload, string expected)
    {
        var doc = CaptionConverter.Convert($"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{payload}\n");
        Assert.EndsWith("\n" + expected + "\n", doc.Vtt);
    }
}
