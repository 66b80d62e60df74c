using System.Reflection;
using AssetLedger.Application.Commands;
using AssetLedger.Domain.Common;

namespace AssetLedger.Architecture.Tests;

/// <summary>
/// Command plumbing is written once: every decider answers the one <see cref="Decision{TEvent}"/>, every command handler
/// answers the one <see cref="CommandOutcome{TState}"/> and leaves load, decide, append and retry to a <see cref="CommandService{TRequest,TState,TEvent}"/>.
/// </summary>
public class CommandPlumbingTests
{
    static readonly Assembly Domain = typeof(DomainError).Assembly;
    static readonly Assembly Application = typeof(CommandService).Assembly;

    static readonly IReadOnlyList<Type> Deciders = Domain.GetTypes().Where(t => t.Name.EndsWith("Decider")).ToList();

    static readonly IReadOnlyList<Type> CommandHandlers = Application.GetTypes()
        .Where(t => t.IsClass && !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition().Name == "ICommandHandler`2"))
        .ToList();

    [Fact]
    public void Decision_and_result_live_with_the_domain_error_every_aggregate_shares()
    {
        Assert.Equal(typeof(DomainError).Namespace, typeof(Decision<>).Namespace);
        Assert.Equal(typeof(DomainError).Namespace, typeof(Result<>).Namespace);
        Assert.DoesNotContain(Domain.GetTypes(), t => t.Name is "Decision" or "Result" && !t.IsGenericType);
    }

    [Fact]
    public void Every_decider_returns_the_common_decision()
    {
        Assert.Equal(["AlarmRuleDecider", "AssetDecider", "ChainDecider", "DeviceDecider", "ParticipantDecider", "RegistrationDecider", "UserDecider"], Deciders.Select(d => d.Name).Order());
        var decides = Deciders.SelectMany(d => d.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.Name == "Decide")).ToList();
        Assert.Equal(Deciders.Count, decides.Count);
        foreach (var decide in decides)
            Assert.True(decide.ReturnType.IsGenericType && decide.ReturnType.GetGenericTypeDefinition() == typeof(Decision<>),
                $"{decide.DeclaringType!.Name}.Decide returns {decide.ReturnType.Name}, not Decision<TEvent>.");
    }

    [Fact]
    public void The_generic_command_outcome_is_the_only_outcome_in_application()
    {
        var outcomes = Application.GetTypes().Where(t => t.Name.Split('`')[0].EndsWith("Outcome") && !t.Name.StartsWith('<')).ToList();
        Assert.Equal([typeof(CommandOutcome<>)], outcomes);
    }

    [Fact]
    public void Every_command_handler_answers_the_common_outcome_through_the_command_service()
    {
        Assert.Equal(["AlarmRuleCommandHandler", "AssetCommandHandler", "ChainCommandHandler", "DeviceCommandHandler", "ParticipantApplicationHandler", "ParticipantCommandHandler", "RegistrationCommandHandler", "UserCommandHandler"], CommandHandlers.Select(h => h.Name).Order());
        foreach (var handler in CommandHandlers)
        {
            var response = handler.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition().Name == "ICommandHandler`2").GetGenericArguments()[1];
            Assert.True(response.IsGenericType && response.GetGenericTypeDefinition() == typeof(CommandOutcome<>), $"{handler.Name} answers {response.Name}.");
            // An application composes two aggregates' handlers (participant, then its admin user), each a command service.
            Assert.Contains(handler.GetFields(BindingFlags.Instance | BindingFlags.NonPublic),
                f => f.FieldType.IsGenericType && f.FieldType.GetGenericTypeDefinition() == typeof(CommandService<,,>) || CommandHandlers.Contains(f.FieldType));
        }
    }
}
