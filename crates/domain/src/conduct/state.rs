//! A report's life: received → accepted (or dismissed with a reason) → investigating (with
//! investigators assigned) → concluded, substantiated or not. Accountability actions are
//! recorded while investigating or on a substantiated conclusion.

use super::ConductError;
use crate::labelled_enum;

labelled_enum! {
    pub enum ReportState {
        Received = ("received", "已接收", "Received"),
        Accepted = ("accepted", "已受理", "Accepted"),
        Dismissed = ("dismissed", "不予受理", "Dismissed"),
        Investigating = ("investigating", "核查中", "Investigating"),
        Concluded = ("concluded", "已办结", "Concluded"),
    }
}

labelled_enum! {
    pub enum Conclusion {
        Substantiated = ("substantiated", "问题属实", "Substantiated"),
        Unsubstantiated = ("unsubstantiated", "问题不属实", "Unsubstantiated"),
    }
}

fn wrong(state: ReportState, action: &'static str) -> ConductError {
    ConductError::WrongState { state, action }
}

impl ReportState {
    pub fn accept(self) -> Result<ReportState, ConductError> {
        match self {
            ReportState::Received => Ok(ReportState::Accepted),
            s => Err(wrong(s, "accepted")),
        }
    }

    pub fn dismiss(self) -> Result<ReportState, ConductError> {
        match self {
            ReportState::Received => Ok(ReportState::Dismissed),
            s => Err(wrong(s, "dismissed")),
        }
    }

    /// Assigning investigators starts the investigation; more may be assigned during it.
    pub fn assign(self, investigators: usize) -> Result<ReportState, ConductError> {
        if investigators == 0 {
            return Err(ConductError::NoInvestigator);
        }
        match self {
            ReportState::Accepted | ReportState::Investigating => Ok(ReportState::Investigating),
            s => Err(wrong(s, "assigned")),
        }
    }

    pub fn add_evidence(self) -> Result<ReportState, ConductError> {
        match self {
            ReportState::Investigating => Ok(self),
            s => Err(wrong(s, "given evidence")),
        }
    }

    pub fn conclude(self) -> Result<ReportState, ConductError> {
        match self {
            ReportState::Investigating => Ok(ReportState::Concluded),
            s => Err(wrong(s, "concluded")),
        }
    }

    /// An action on an official: during the investigation or after a substantiated conclusion.
    pub fn hold_accountable(self, conclusion: Option<Conclusion>) -> Result<(), ConductError> {
        match (self, conclusion) {
            (ReportState::Investigating, _)
            | (ReportState::Concluded, Some(Conclusion::Substantiated)) => Ok(()),
            (s, _) => Err(wrong(s, "held accountable")),
        }
    }

    /// Still waiting for supervision's work (new, accepted, being investigated).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ReportState::Received | ReportState::Accepted | ReportState::Investigating
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_goes_through_in_order() {
        let s = ReportState::Received;
        assert!(s.conclude().is_err() && s.assign(1).is_err());
        assert_eq!(s.dismiss(), Ok(ReportState::Dismissed));
        let a = s.accept().unwrap();
        assert_eq!(a.assign(0), Err(ConductError::NoInvestigator));
        let i = a.assign(2).unwrap();
        assert_eq!(i, ReportState::Investigating);
        assert_eq!(i.assign(1), Ok(ReportState::Investigating));
        assert!(i.add_evidence().is_ok() && i.hold_accountable(None).is_ok());
        let c = i.conclude().unwrap();
        assert!(c.hold_accountable(Some(Conclusion::Substantiated)).is_ok());
        assert!(
            c.hold_accountable(Some(Conclusion::Unsubstantiated))
                .is_err()
        );
        assert!(c.add_evidence().is_err() && c.accept().is_err());
        assert!(!c.is_open() && i.is_open());
    }
}
