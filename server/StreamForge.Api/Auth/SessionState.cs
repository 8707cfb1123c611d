namespace StreamForge.Api.Auth;

/// <summary>What the database says about a session right now; <c>Role</c> null means the session has ended.</summary>
public sealed record SessionState(string? Role, Guid Stamp);
