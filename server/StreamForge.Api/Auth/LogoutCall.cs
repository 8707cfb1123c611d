using System.Security.Claims;

namespace StreamForge.Api.Auth;

/// <summary>What POST /auth/logout binds: the refresh cookie's request, the caller, the service, the response whose cookie is cleared.</summary>
public sealed record LogoutCall(HttpRequest Request, ClaimsPrincipal Principal, SessionService Sessions, HttpResponse Response, CancellationToken Ct);
