namespace StreamForge.Api.Email;

public sealed record EmailMessage(string To, string Subject, string Text, string Html);
