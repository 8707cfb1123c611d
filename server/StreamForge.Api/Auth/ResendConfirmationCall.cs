using System.Security.Claims;
using StreamForge.Api.Email;

namespace StreamForge.Api.Auth;

/// <summary>What POST /auth/confirm-email/resend binds: the caller, the service, and the request the mailed links are built from.</summary>
public sealed record ResendConfirmationCall(
    ClaimsPrincipal Principal, AccountRecoveryService Recovery, MailLinks Links, HttpRequest Request, CancellationToken Ct);
