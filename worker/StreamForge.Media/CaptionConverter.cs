using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace StreamForge.Media;

/// <summary>
/// Validates an uploaded WebVTT or SRT file and turns it into one normalised WebVTT text: UTF-8 without BOM, LF line
/// ends, "WEBVTT" header, every cue's timing checked (hh:mm:ss.mmm, end after start) and written in full form. SRT is
/// converted (comma decimals, sequence numbers dropped, text escaped so a stray "&lt;" is not read as a tag). Text that
/// is not UTF-8, holds control characters (a binary file), or is neither format is refused with a readable reason.
/// </summary>
public static partial class CaptionConverter
{
    /// <summary>Cues past this many are not subtitles but an attempt to make players work hard.</summary>
    public const int MaxCues = 50_000;

    /// <summary>The longest a cue may end: caption files far past any allowed video duration are nonsense.</summary>
    public static readonly TimeSpan MaxTimestamp = TimeSpan.FromHours(100);

    public static CaptionDocument Convert(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            throw new CaptionFormatException("The caption file is empty.");
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new CaptionFormatException("The caption file is not UTF-8 text (is it a binary file, or saved in another encoding?).");
        }

        return Convert(text);
    }

    public static CaptionDocument Convert(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var line = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
            }
            else if ((char.IsControl(c) && c != '\t') || c == '\uFFFE' || c == '\uFFFF')
            {
                throw new CaptionFormatException($"Line {line} holds a control character (U+{(int)c:X4}); a caption file is plain text.");
            }
        }

        var lines = text.Split('\n');
        return IsWebVtt(lines[0]) ? FromWebVtt(lines) : FromSrt(lines);
    }

    private static bool IsWebVtt(string first) =>
        first.StartsWith("WEBVTT", StringComparison.Ordinal) && (first.Length == 6 || first[6] is ' ' or '\t');

    private static CaptionDocument FromWebVtt(string[] lines)
    {
        var output = new StringBuilder("WEBVTT\n");
        var i = 1;
        // Header text after "WEBVTT" (until the first blank line) carries no cues; it is dropped.
        while (i < lines.Length && lines[i].Length > 0)
        {
            i++;
        }

        var cues = 0;
        double lastEnd = 0;
        foreach (var (start, block) in Blocks(lines, i))
        {
            var first = block[0];
            if (first.StartsWith("NOTE", StringComparison.Ordinal) && (first.Length == 4 || first[4] is ' ' or '\t'))
            {
                continue;
            }

            if (first is "STYLE" or "REGION" && cues == 0)
            {
                output.Append('\n').AppendJoin('\n', block).Append('\n');
                continue;
            }

            var timingIndex = block[0].Contains("-->", StringComparison.Ordinal) ? 0 : 1;
            if (timingIndex >= block.Count || !block[timingIndex].Contains("-->", StringComparison.Ordinal))
            {
                throw new CaptionFormatException($"Line {start + timingIndex + 1}: expected a cue timing line such as \"00:00:01.000 --> 00:00:04.000\".");
            }

            var (from, to, settings) = ParseTiming(block[timingIndex], start + timingIndex + 1, srt: false);
            output.Append('\n');
            if (timingIndex == 1)
            {
                output.Append(block[0]).Append('\n');
            }

            output.Append(Timestamp(from)).Append(" --> ").Append(Timestamp(to));
            if (settings.Length > 0)
            {
                output.Append(' ').Append(settings);
            }

            output.Append('\n');
            foreach (var payload in block.Skip(timingIndex + 1))
            {
                output.Append(EscapeVttText(payload)).Append('\n');
            }

            lastEnd = Math.Max(lastEnd, to);
            CountCue(ref cues);
        }

        return Done(output, cues, lastEnd);
    }

    private static CaptionDocument FromSrt(string[] lines)
    {
        var output = new StringBuilder("WEBVTT\n");
        var cues = 0;
        double lastEnd = 0;
        foreach (var (start, block) in Blocks(lines, 0))
        {
            var timingIndex = SequenceNumber().IsMatch(block[0]) && block.Count > 1 ? 1 : 0;
            if (!block[timingIndex].Contains("-->", StringComparison.Ordinal))
            {
                throw new CaptionFormatException(cues == 0
                    ? "This is neither a WebVTT file (it must start with \"WEBVTT\") nor an SRT file (numbered cues with \"00:00:01,000 --> 00:00:04,000\" timings)."
                    : $"Line {start + timingIndex + 1}: expected an SRT timing line such as \"00:00:01,000 --> 00:00:04,000\".");
            }

            var (from, to, _) = ParseTiming(block[timingIndex], start + timingIndex + 1, srt: true);
            output.Append('\n').Append(Timestamp(from)).Append(" --> ").Append(Timestamp(to)).Append('\n');
            foreach (var payload in block.Skip(timingIndex + 1))
            {
                output.Append(EscapeSrtText(payload)).Append('\n');
            }

            lastEnd = Math.Max(lastEnd, to);
            CountCue(ref cues);
        }

        return Done(output, cues, lastEnd);
    }

    private static void CountCue(ref int cues)
    {
        if (++cues > MaxCues)
        {
            throw new CaptionFormatException($"The file has more than {MaxCues} cues.");
        }
    }

    private static CaptionDocument Done(StringBuilder output, int cues, double lastEnd)
    {
        if (cues == 0)
        {
            throw new CaptionFormatException("The caption file has no cues.");
        }

        return new CaptionDocument(output.ToString(), cues, lastEnd);
    }

    /// <summary>Non-empty runs of lines separated by blank lines, with the 0-based index of their first line.</summary>
    private static IEnumerable<(int Start, List<string> Lines)> Blocks(string[] lines, int from)
    {
        var block = new List<string>();
        var start = from;
        for (var i = from; i <= lines.Length; i++)
        {
            var current = i < lines.Length ? lines[i] : "";
            if (current.Trim().Length == 0)
            {
                if (block.Count > 0)
                {
                    yield return (start, block);
                    block = [];
                }

                start = i + 1;
            }
            else
            {
                block.Add(current);
            }
        }
    }

    private static (double From, double To, string Settings) ParseTiming(string line, int lineNumber, bool srt)
    {
        var match = (srt ? SrtTiming() : VttTiming()).Match(line);
        if (!match.Success)
        {
            var example = srt ? "00:00:01,000 --> 00:00:04,000" : "00:00:01.000 --> 00:00:04.000";
            throw new CaptionFormatException($"Line {lineNumber}: \"{Shorten(line)}\" is not a valid cue timing (expected e.g. \"{example}\").");
        }

        var from = Seconds(match.Groups["from"].Value, lineNumber);
        var to = Seconds(match.Groups["to"].Value, lineNumber);
        if (to <= from)
        {
            throw new CaptionFormatException($"Line {lineNumber}: the cue ends ({Timestamp(to)}) before it starts ({Timestamp(from)}).");
        }

        var settings = srt ? "" : match.Groups["settings"].Value.Trim();
        return (from, to, settings);
    }

    /// <summary>[h:]mm:ss(.|,)fff in seconds; minutes and seconds below 60.</summary>
    private static double Seconds(string stamp, int lineNumber)
    {
        var parts = stamp.Replace(',', '.').Split(':');
        var hours = parts.Length == 3 ? long.Parse(parts[0], CultureInfo.InvariantCulture) : 0;
        var minutes = int.Parse(parts[^2], CultureInfo.InvariantCulture);
        var secondsParts = parts[^1].Split('.');
        var seconds = int.Parse(secondsParts[0], CultureInfo.InvariantCulture);
        var millis = int.Parse(secondsParts[1].PadRight(3, '0'), CultureInfo.InvariantCulture);
        if (minutes > 59 || seconds > 59)
        {
            throw new CaptionFormatException($"Line {lineNumber}: \"{stamp}\" has minutes or seconds above 59.");
        }

        var total = hours * 3600 + minutes * 60 + seconds + millis / 1000.0;
        if (total > MaxTimestamp.TotalSeconds)
        {
            throw new CaptionFormatException($"Line {lineNumber}: \"{stamp}\" is later than {MaxTimestamp.TotalHours:0} hours.");
        }

        return total;
    }

    /// <summary>hh:mm:ss.mmm, the full WebVTT form every player reads.</summary>
    public static string Timestamp(double seconds)
    {
        var ms = (long)Math.Round(seconds * 1000);
        return string.Create(CultureInfo.InvariantCulture, $"{ms / 3_600_000:00}:{ms / 60_000 % 60:00}:{ms / 1000 % 60:00}.{ms % 1000:000}");
    }

    /// <summary>
    /// SRT text is shown as typed, WebVTT text is markup: keep the tags both know (i, b, u), drop SRT's font tags,
    /// and escape every other "&lt;" and "&amp;" so they show as characters.
    /// </summary>
    private static string EscapeSrtText(string text)
    {
        text = FontTag().Replace(text, "");
        var output = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '<' && SimpleTag().Match(text, i) is { Success: true, Index: var at } tag && at == i)
            {
                output.Append(tag.Value.ToLowerInvariant());
                i += tag.Length - 1;
            }
            else if (c == '<')
            {
                output.Append("&lt;");
            }
            else if (c == '&')
            {
                output.Append("&amp;");
            }
            else if (c == '>')
            {
                output.Append("&gt;");
            }
            else
            {
                output.Append(c);
            }
        }

        return output.ToString();
    }

    /// <summary>
    /// WebVTT cue text is markup that players may turn into HTML: keep WebVTT's own tags (c, i, b, u, ruby, rt with
    /// classes; v with a speaker name; lang with a language tag; timestamps) and well-formed character references, and
    /// escape every other "&lt;", "&gt;" and "&amp;" so a &lt;script&gt; or an onerror attribute shows as text.
    /// Escaping "&gt;" also keeps "--&gt;" from reading as a timing line.
    /// </summary>
    private static string EscapeVttText(string text)
    {
        var output = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var kept = c switch
            {
                '<' => VttTag().Match(text, i),
                '&' => CharacterReference().Match(text, i),
                _ => null,
            };
            if (kept is { Success: true })
            {
                output.Append(kept.Value);
                i += kept.Length - 1;
            }
            else
            {
                output.Append(c switch { '<' => "&lt;", '>' => "&gt;", '&' => "&amp;", _ => c.ToString() });
            }
        }

        return output.ToString();
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";

    [GeneratedRegex(@"^\s*(?<from>(?:\d{1,3}:)?\d{2}:\d{2}\.\d{3})[ \t]+-->[ \t]+(?<to>(?:\d{1,3}:)?\d{2}:\d{2}\.\d{3})(?<settings>(?:[ \t]+.*)?)\z")]
    private static partial Regex VttTiming();

    [GeneratedRegex(@"^\s*(?<from>\d{1,3}:\d{2}:\d{2}[,.]\d{1,3})[ \t]*-->[ \t]*(?<to>\d{1,3}:\d{2}:\d{2}[,.]\d{1,3})(?:[ \t]+.*)?\z")]
    private static partial Regex SrtTiming();

    [GeneratedRegex(@"^\d+\z")]
    private static partial Regex SequenceNumber();

    [GeneratedRegex(@"</?font[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FontTag();

    [GeneratedRegex(@"\G</?[ibuIBU]>")]
    private static partial Regex SimpleTag();

    /// <summary>WebVTT's cue tags, nothing else: a speaker name holds no quotes, "=" or markup characters.</summary>
    [GeneratedRegex(@"\G<(?:/(?:c|i|b|u|ruby|rt|v|lang)|(?:c|i|b|u|ruby|rt)(?:\.[A-Za-z0-9_-]+)*|v(?:\.[A-Za-z0-9_-]+)*(?:[ \t][^<>&""=]+)?|lang(?:\.[A-Za-z0-9_-]+)*[ \t][A-Za-z0-9-]{1,35}|(?:\d{2,}:)?\d{2}:\d{2}\.\d{3})>")]
    private static partial Regex VttTag();

    [GeneratedRegex(@"\G&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")]
    private static partial Regex CharacterReference();
}
