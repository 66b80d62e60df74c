using AssetLedger.Domain.Common;

namespace AssetLedger.Domain.Devices.Alarms;

public static class AlarmErrors
{
    public static DomainError Invalid(string field, string message) => new("alarm.invalid", message, ErrorKind.Invalid, field);
    public static DomainError NotOperator => new("alarm.not_operator", "Alarm rules are the platform operator's configuration.", ErrorKind.Forbidden);
    public static DomainError TooManyRules => new("alarm.too_many_rules", $"The rule book holds at most {AlarmLimits.Rules} rules; retire or revise one.", ErrorKind.Conflict);
    public static DomainError RuleNotFound(string id) => new("alarm.rule_not_found", $"There is no alarm rule '{id}'.", ErrorKind.NotFound);
    public static DomainError RuleRetired(string id) => new("alarm.rule_retired", $"Alarm rule '{id}' is already retired; set it again to bring it back.", ErrorKind.Conflict);
    public static DomainError NoChange(string id) => new("alarm.no_change", $"That is alarm rule '{id}' as it stands; change a parameter to make a new version.", ErrorKind.Conflict);
}
