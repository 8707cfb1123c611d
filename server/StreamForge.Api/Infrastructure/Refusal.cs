namespace StreamForge.Api.Infrastructure;

/// <summary>A refused request: what kind, the sentence the client gets, and for <see cref="RefusalKind.Invalid"/> the fields.</summary>
public sealed record Refusal(RefusalKind Kind, string Detail, Dictionary<string, string[]>? Fields = null)
{
    /// <summary>The handler names what was not found, so one refusal serves videos, users and jobs.</summary>
    public static readonly Refusal NotFound = new(RefusalKind.NotFound, "");

    public static readonly Refusal SessionExpired = new(RefusalKind.SessionExpired, "This account no longer exists.");

    public static Refusal BadRequest(string detail) => new(RefusalKind.BadRequest, detail);

    public static Refusal InvalidToken(string detail) => new(RefusalKind.InvalidToken, detail);

    public static Refusal Conflict(string detail) => new(RefusalKind.Conflict, detail);

    public static Refusal Invalid(Dictionary<string, string[]> fields) =>
        new(RefusalKind.Invalid, string.Join(" ", fields.SelectMany(f => f.Value)), fields);
}
