using System.Text;
using StreamForge.Core.Storage;
using StreamForge.Media;

namespace StreamForge.Worker.Processing;

/// <summary>
/// Decides what a failed processing run means: permanent or transient, what the owner reads, what the admin reads,
/// and when to retry. Pure: the pipeline applies the decision.
/// </summary>
public static class FailurePolicy
{
    public const string SourceReplacedMessage = "The source file was replaced after the upload was completed; upload it again.";
    public const string TruncatedMessage = "The file is truncated or damaged; upload it again.";
    public const string DamagedMessage = "The file is damaged or uses a format we cannot read; upload it again or convert it to MP4 first.";
    public const string OutOfSpaceMessage = "The worker ran out of temporary disk space while processing this video.";
    public const string StorageMessage = "A storage error interrupted processing.";
    public const string DatabaseMessage = "A database error interrupted processing.";
    public const string WorkerMessage = "A problem on the processing worker interrupted processing.";
    public const string UnexpectedMessage = "An unexpected error interrupted processing.";

    /// <param name="attempt">The attempt that failed, counting from 1.</param>
    /// <param name="retryDelays">The delay before each retry; its length is the number of retries.</param>
    public static FailureDecision Decide(Exception e, int attempt, IReadOnlyList<TimeSpan> retryDelays)
    {
        // A replaced source stays replaced: retrying cannot bring back the bytes that were measured and charged.
        var permanent = e is MediaException { IsPermanent: true } or SourceChangedException or TempSpaceException;
        var retriesUsed = Math.Max(0, attempt - 1);
        TimeSpan? delay = !permanent && retriesUsed < retryDelays.Count ? retryDelays[retriesUsed] : null;
        var message = UserSentence(e);
        if (!permanent)
        {
            message += delay is null ? $" Gave up after {attempt} attempts." : " It will be tried again shortly.";
        }

        return new FailureDecision(permanent, delay, message, AdminDetail(e));
    }

    private static string UserSentence(Exception e) => e switch
    {
        // Its own message is written for the owner: sizes only, no path.
        TempSpaceException => e.Message,
        _ when TempSpace.IsOutOfSpace(e) => OutOfSpaceMessage,
        SourceChangedException => SourceReplacedMessage,
        MediaException { IsPermanent: true, ToolOutput: null } m => m.Message,
        MediaException { IsPermanent: true } m when FfmpegErrors.ShowsTruncatedInput(m.ToolOutput) => TruncatedMessage,
        MediaException { IsPermanent: true } m when m.Message.StartsWith("not a readable media file", StringComparison.Ordinal) =>
            $"This is not a readable media file. {SourceSniffer.Accepted}",
        MediaException { IsPermanent: true } => DamagedMessage,
        // Transient media failures name local paths and tool output: none of it is the owner's business.
        MediaException => WorkerMessage,
        StorageException => StorageMessage,
        Npgsql.NpgsqlException => DatabaseMessage,
        _ => UnexpectedMessage,
    };

    /// <summary>Type, message and tool output of the exception and its causes, for whoever runs the workers.</summary>
    private static string AdminDetail(Exception e)
    {
        var text = new StringBuilder();
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (text.Length > 0) text.Append("\n--- caused by ---\n");
            text.Append(x.GetType().Name).Append(": ").Append(x.Message);
            if (x is MediaException { ToolOutput: { } output } && !string.IsNullOrWhiteSpace(output) && !x.Message.Contains(output.Trim(), StringComparison.Ordinal))
            {
                text.Append("\n--- ffmpeg output ---\n").Append(output.Trim());
            }
        }

        return text.ToString();
    }
}
