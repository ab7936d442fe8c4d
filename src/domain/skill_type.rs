//! A skill's type: `skill` or `knowledge` (ESCO's distinction between a skill/competence, which
//! is the ability to do something, and knowledge, which is a body of facts).

use super::{ParamError, truncate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum SkillType {
    #[default]
    Skill,
    Knowledge,
}

impl SkillType {
    pub const ALL: [SkillType; 2] = [SkillType::Skill, SkillType::Knowledge];

    /// The `type` filter of `/skills` and `/skills/autocomplete` (exact, lowercase).
    pub fn parse(parameter: &'static str, raw: &str) -> Result<SkillType, ParamError> {
        Self::from_name(raw).ok_or_else(|| {
            ParamError::new(parameter, format!("`{parameter}` must be `skill` or `knowledge`, not `{}`", truncate(raw)))
        })
    }

    pub fn from_name(raw: &str) -> Option<SkillType> {
        match raw {
            "skill" => Some(SkillType::Skill),
            "knowledge" => Some(SkillType::Knowledge),
            _ => None,
        }
    }

    /// The type a source's own word implies: `knowledge` is knowledge; everything else (ESCO's
    /// `skill/competence`, and the few ESCO concepts with no type at all) is a skill.
    pub fn from_source(skill_type: Option<&str>) -> SkillType {
        match skill_type {
            Some("knowledge") => SkillType::Knowledge,
            _ => SkillType::Skill,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SkillType::Skill => "skill",
            SkillType::Knowledge => "knowledge",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_is_skill_or_knowledge() {
        assert_eq!(SkillType::parse("type", "skill").unwrap(), SkillType::Skill);
        assert_eq!(SkillType::parse("type", "knowledge").unwrap(), SkillType::Knowledge);
        let bad = SkillType::parse("type", "Skill").unwrap_err();
        assert_eq!(bad.message, "`type` must be `skill` or `knowledge`, not `Skill`");
        assert_eq!(SkillType::from_source(Some("skill/competence")), SkillType::Skill);
        assert_eq!(SkillType::from_source(Some("knowledge")), SkillType::Knowledge);
        assert_eq!(SkillType::from_source(None), SkillType::Skill);
    }
}
