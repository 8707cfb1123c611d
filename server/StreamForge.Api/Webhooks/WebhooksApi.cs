using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamForge.Api.Infrastructure;
using StreamForge.Api.Keys;

namespace StreamForge.Api.Webhooks;

/// <summary>Signed webhooks: endpoints, their deliveries, resends. Rules live in <see cref="WebhookService"/>.</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks").WithTags("Webhooks").RequireAuthorization().RequireScope(ApiScopes.WebhooksManage);
        group.MapPost("/", Create).WithName("CreateWebhook")
            .WithSummary("Register an endpoint for some events; the answer holds its signing secret, shown this once")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("The caller's endpoints (without secrets)");
        group.MapDelete("/{id:guid}", Delete).WithName("DeleteWebhook").WithSummary("Remove an endpoint and its delivery history")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's recent deliveries, newest first, with status, attempts, response code and error")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/resend", Resend).WithName("ResendWebhookDelivery")
            .WithSummary("Send a delivery again now, with the same delivery id and body")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<WebhookCreated>, ValidationProblem, ProblemHttpResult>> Create(
        CreateWebhookRequest body, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken ct) =>
        await webhooks.CreateAsync(body, principal, ct) switch
        {
            { Refusal.Fields: { } fields } => Problems.Validation(fields),
            { Refusal: { } refused } => RefusalProblems.For(refused, "The webhook"),
            { Value: var created } => TypedResults.Created($"/api/v1/webhooks/{created!.Id}", created),
        };

    private static async Task<Ok<List<WebhookDto>>> List(ClaimsPrincipal principal, WebhookService webhooks, CancellationToken ct) =>
        TypedResults.Ok(await webhooks.ListAsync(principal, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete([AsParameters] WebhookCall call) =>
        await call.Webhooks.DeleteAsync(call.Id, call.Principal, call.Ct) ? TypedResults.NoContent() : Problems.NotFound("The webhook");

    private static async Task<Results<Ok<List<WebhookDeliveryDto>>, ProblemHttpResult>> Deliveries([AsParameters] WebhookCall call) =>
        await call.Webhooks.DeliveriesAsync(call.Id, call.Principal, call.Ct) is { } list ? TypedResults.Ok(list) : Problems.NotFound("The webhook");

    private static async Task<Results<Accepted, ProblemHttpResult>> Resend(
        Guid id, Guid deliveryId, ClaimsPrincipal principal, WebhookService webhooks, CancellationToken ct) =>
        await webhooks.ResendAsync(id, deliveryId, principal, ct) ? TypedResults.Accepted($"/api/v1/webhooks/{id}/deliveries") : Problems.NotFound("The delivery");
}
