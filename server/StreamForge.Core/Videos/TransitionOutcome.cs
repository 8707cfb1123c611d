namespace StreamForge.Core.Videos;

/// <summary>The result of one transition, with a sentence for the caller when it did not happen.</summary>
public sealed record TransitionOutcome(TransitionResult Result, string? Detail = null)
{
    public static readonly TransitionOutcome Done = new(TransitionResult.Done);
    public bool Succeeded => Result is TransitionResult.Done or TransitionResult.AlreadyDone;
}
