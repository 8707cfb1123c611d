using Microsoft.Extensions.Options;

namespace StreamForge.Api.Email;

public static class EmailSetup
{
    public static IServiceCollection AddStreamForgeEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EmailOptions>().Bind(configuration.GetSection(EmailOptions.Section));
        services.AddOptions<AppOptions>().Bind(configuration.GetSection(AppOptions.Section));
        services.AddSingleton<SmtpEmailSender>();
        services.AddSingleton<OutboxEmailSender>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.Mode == EmailMode.Outbox
            ? sp.GetRequiredService<OutboxEmailSender>()
            : sp.GetRequiredService<SmtpEmailSender>());
        services.AddSingleton<MailQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<MailQueue>());
        services.AddSingleton<MailLinks>();
        return services;
    }

    /// <summary>
    /// Mail settings that cannot work, or should not be used where they are, are said once at start-up. They do not
    /// stop the service: everything except the mails works without them.
    /// </summary>
    public static void WarnAboutConfiguration(IServiceProvider services)
    {
        var email = services.GetRequiredService<IOptions<EmailOptions>>().Value;
        var app = services.GetRequiredService<IOptions<AppOptions>>().Value;
        var env = services.GetRequiredService<IHostEnvironment>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(EmailSetup));
        if (email.Mode == EmailMode.Outbox)
        {
            if (env.IsProduction())
                log.LogWarning("Email:Mode is Outbox in Production: mails (password resets, confirmations) are written to {Path} and never delivered. Set Email__Mode=Smtp and Email__Smtp__Host.", email.ResolvedOutboxPath);
            else
                log.LogInformation("Mails are written to the dev outbox {Path}", email.ResolvedOutboxPath);
        }
        else if (string.IsNullOrWhiteSpace(email.Smtp.Host))
            log.LogWarning("Email:Smtp:Host is not set: password reset and confirmation mails cannot be sent. Set Email__Smtp__Host (or Email__Mode=Outbox for development).");
        if (string.IsNullOrWhiteSpace(app.PublicUrl) && !env.IsDevelopment())
            log.LogWarning("App:PublicUrl is not set: mails with links (password reset, confirmation) are not sent. Set App__PublicUrl to the address users open the app at.");
    }
}
