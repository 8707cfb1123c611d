namespace StreamForge.Api.Auth;

public sealed record MailAccepted(string Message);
