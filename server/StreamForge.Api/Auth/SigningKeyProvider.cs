using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace StreamForge.Api.Auth;

public sealed class SigningKeyProvider
{
    public SymmetricSecurityKey Key { get; }

    public SigningKeyProvider(IOptions<AuthOptions> options, IHostEnvironment env, ILogger<SigningKeyProvider> log)
    {
        var configured = options.Value.JwtSigningKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (!env.IsDevelopment())
                throw new InvalidOperationException("Auth:JwtSigningKey (env Auth__JwtSigningKey) must be set outside Development.");
            log.LogWarning("Auth:JwtSigningKey is not set; using a random key, so tokens die with this process.");
            Key = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(configured);
        if (bytes.Length < 32) throw new InvalidOperationException("Auth:JwtSigningKey must be at least 32 bytes.");
        Key = new SymmetricSecurityKey(bytes);
    }
}
