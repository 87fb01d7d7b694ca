//! Section titles and line layouts of the output file (Appendix A
//! §4.8.2.1.1 to §4.8.2.1.11).

use std::fmt;

/// One of the eleven sections of an ELD output file, in the order of
/// §4.8.2.1 (the rule calls them "segments"; ediguard says "section").
///
/// # Examples
///
/// ```
/// use ediguard::eld::SectionKind;
/// assert_eq!(SectionKind::EventList.title(), "ELD Event List:");
/// assert_eq!(SectionKind::from_title(b"CMV List:"), Some(SectionKind::CmvList));
/// assert_eq!(SectionKind::ALL.len(), 11);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SectionKind {
    /// §4.8.2.1.1 `ELD File Header Segment:` (seven fixed lines).
    Header,
    /// §4.8.2.1.2 `User List:`.
    UserList,
    /// §4.8.2.1.3 `CMV List:`.
    CmvList,
    /// §4.8.2.1.4 `ELD Event List:` (event types 1, 2, 3).
    EventList,
    /// §4.8.2.1.5 `ELD Event Annotations or Comments:`.
    Annotations,
    /// §4.8.2.1.6 `Driver's Certification/Recertification Actions:` (type 4).
    Certifications,
    /// §4.8.2.1.7 `Malfunctions and Data Diagnostic Events:` (type 7).
    Malfunctions,
    /// §4.8.2.1.8 `ELD Login/Logout Report:` (type 5).
    LoginLogout,
    /// §4.8.2.1.9 `CMV Engine Power-Up and Shut Down Activity:` (type 6).
    EnginePower,
    /// §4.8.2.1.10 `Unidentified Driver Profile Records:`.
    Unidentified,
    /// §4.8.2.1.11 `End of File:` (one line: the file data check value).
    EndOfFile,
}

impl SectionKind {
    /// Every section, in file order.
    pub const ALL: [SectionKind; 11] = [
        SectionKind::Header,
        SectionKind::UserList,
        SectionKind::CmvList,
        SectionKind::EventList,
        SectionKind::Annotations,
        SectionKind::Certifications,
        SectionKind::Malfunctions,
        SectionKind::LoginLogout,
        SectionKind::EnginePower,
        SectionKind::Unidentified,
        SectionKind::EndOfFile,
    ];

    /// The exact title line (§4.8.2.1.1 to .11).
    pub const fn title(self) -> &'static str {
        match self {
            SectionKind::Header => "ELD File Header Segment:",
            SectionKind::UserList => "User List:",
            SectionKind::CmvList => "CMV List:",
            SectionKind::EventList => "ELD Event List:",
            SectionKind::Annotations => "ELD Event Annotations or Comments:",
            SectionKind::Certifications => "Driver's Certification/Recertification Actions:",
            SectionKind::Malfunctions => "Malfunctions and Data Diagnostic Events:",
            SectionKind::LoginLogout => "ELD Login/Logout Report:",
            SectionKind::EnginePower => "CMV Engine Power-Up and Shut Down Activity:",
            SectionKind::Unidentified => "Unidentified Driver Profile Records:",
            SectionKind::EndOfFile => "End of File:",
        }
    }

    /// Position in the file, 0 to 10.
    pub const fn ordinal(self) -> usize {
        self as usize
    }

    /// The section whose title is exactly `line`.
    pub fn from_title(line: &[u8]) -> Option<SectionKind> {
        SectionKind::ALL
            .into_iter()
            .find(|k| k.title().as_bytes() == line)
    }

    /// The section whose title matches `line` when case, surrounding spaces
    /// and a typographic apostrophe (U+2019) are ignored. Used to recognise
    /// misspelled titles, which are reported.
    pub fn from_title_loose(line: &[u8]) -> Option<SectionKind> {
        let line = line.trim_ascii();
        if line.len() > 64 {
            return None;
        }
        let mut buf = [0u8; 64];
        let mut n = 0;
        let mut i = 0;
        while i < line.len() {
            let (b, step) = if line[i..].starts_with("\u{2019}".as_bytes()) {
                (b'\'', 3)
            } else {
                (line[i].to_ascii_lowercase(), 1)
            };
            buf[n] = b;
            n += 1;
            i += step;
        }
        let norm = &buf[..n];
        SectionKind::ALL
            .into_iter()
            .find(|k| k.title().as_bytes().eq_ignore_ascii_case(norm))
    }

    /// The layout of this section's data lines; `None` for the header,
    /// whose seven lines each have their own layout ([`Layout::header`]).
    pub const fn layout(self) -> Option<Layout> {
        Some(match self {
            SectionKind::Header => return None,
            SectionKind::UserList => Layout::User,
            SectionKind::CmvList => Layout::Cmv,
            SectionKind::EventList => Layout::Event,
            SectionKind::Annotations => Layout::Annotation,
            SectionKind::Certifications => Layout::Certification,
            SectionKind::Malfunctions => Layout::Malfunction,
            SectionKind::LoginLogout => Layout::LoginLogout,
            SectionKind::EnginePower => Layout::EnginePower,
            SectionKind::Unidentified => Layout::Unidentified,
            SectionKind::EndOfFile => Layout::FileCheckValue,
        })
    }
}

impl fmt::Display for SectionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// The named data elements of Appendix A §7 that appear on output file
/// lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[allow(missing_docs)] // each variant's name is the §7 element; see `name()`.
pub enum FieldName {
    LastName,
    FirstName,
    Username,
    LicenceState,
    LicenceNumber,
    CoDriverLastName,
    CoDriverFirstName,
    CoDriverUsername,
    PowerUnit,
    Vin,
    Trailers,
    UsdotNumber,
    CarrierName,
    MultidayBasis,
    PeriodStartTime,
    TimeZoneOffset,
    ShippingDocument,
    ExemptConfiguration,
    Date,
    Time,
    Latitude,
    Longitude,
    VehicleMiles,
    EngineHours,
    RegistrationId,
    EldIdentifier,
    AuthenticationValue,
    OutputFileComment,
    OrderNumber,
    AccountType,
    SequenceId,
    RecordStatus,
    RecordOrigin,
    EventType,
    EventCode,
    DistanceSinceLastValid,
    CmvOrder,
    UserOrder,
    MalfunctionStatus,
    DiagnosticStatus,
    EventCheckValue,
    Comment,
    LocationDescription,
    CertifiedDate,
    MalfunctionCode,
    FileCheckValue,
    LineCheckValue,
}

impl FieldName {
    /// The element's name in Appendix A §7, with its clause.
    pub const fn name(self) -> &'static str {
        use FieldName::*;
        match self {
            LastName => "Last Name (§7.30)",
            FirstName => "First Name (§7.28)",
            Username => "ELD Username (§7.18)",
            LicenceState => "Driver's License Issuing State (§7.10)",
            LicenceNumber => "Driver's License Number (§7.11)",
            CoDriverLastName => "Co-Driver Last Name (§7.30)",
            CoDriverFirstName => "Co-Driver First Name (§7.28)",
            CoDriverUsername => "Co-Driver ELD Username (§7.18)",
            PowerUnit => "CMV Power Unit Number (§7.4)",
            Vin => "CMV VIN (§7.5)",
            Trailers => "Trailer Number(s) (§7.42)",
            UsdotNumber => "Carrier's USDOT Number (§7.3)",
            CarrierName => "Carrier Name (§7.2)",
            MultidayBasis => "Multiday Basis Used (§7.36)",
            PeriodStartTime => "24-Hour Period Starting Time (§7.1)",
            TimeZoneOffset => "Time Zone Offset from UTC (§7.41)",
            ShippingDocument => "Shipping Document Number (§7.39)",
            ExemptConfiguration => "Exempt Driver Configuration (§7.26)",
            Date => "Date (§7.8)",
            Time => "Time (§7.40)",
            Latitude => "Latitude (§7.31)",
            Longitude => "Longitude (§7.33)",
            VehicleMiles => "Vehicle Miles (§7.43)",
            EngineHours => "Engine Hours (§7.19)",
            RegistrationId => "ELD Registration ID (§7.17)",
            EldIdentifier => "ELD Identifier (§7.15)",
            AuthenticationValue => "ELD Authentication Value (§7.14)",
            OutputFileComment => "Output File Comment (§7.38)",
            OrderNumber => "Order Number (§7.37)",
            AccountType => "ELD Account Type (§7.13)",
            SequenceId => "Event Sequence ID Number (§7.24)",
            RecordStatus => "Event Record Status (§7.23)",
            RecordOrigin => "Event Record Origin (§7.22)",
            EventType => "Event Type (§7.25)",
            EventCode => "Event Code (§7.20)",
            DistanceSinceLastValid => "Distance Since Last Valid Coordinates (§7.9)",
            CmvOrder => "Corresponding CMV Order Number (§7.37)",
            UserOrder => "User Order Number for Record Originator (§7.37)",
            MalfunctionStatus => "Malfunction Indicator Status (§7.35)",
            DiagnosticStatus => "Data Diagnostic Event Indicator Status (§7.7)",
            EventCheckValue => "Event Data Check Value (§7.21)",
            Comment => "Comment/Annotation (§7.6)",
            LocationDescription => "Driver's Location Description (§7.12)",
            CertifiedDate => "Date of the Certified Record (§7.8)",
            MalfunctionCode => "Malfunction/Diagnostic Code (§7.34)",
            FileCheckValue => "File Data Check Value (§7.27)",
            LineCheckValue => "Line Data Check Value (§7.32)",
        }
    }
}

/// The field layout of one kind of line (§4.8.2.1.1 to §4.8.2.1.11).
///
/// # Examples
///
/// ```
/// use ediguard::eld::{FieldName, Layout};
/// assert_eq!(Layout::Event.field_count(), 18);
/// assert_eq!(Layout::Event.position(FieldName::EventCheckValue), Some(17));
/// assert_eq!(Layout::header(3), Some(Layout::H3));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// Header line 1: driver.
    H1,
    /// Header line 2: co-driver.
    H2,
    /// Header line 3: CMV.
    H3,
    /// Header line 4: carrier.
    H4,
    /// Header line 5: shipping document and exempt configuration.
    H5,
    /// Header line 6: current date, time, location, miles, hours.
    H6,
    /// Header line 7: ELD.
    H7,
    /// §4.8.2.1.2 user list row.
    User,
    /// §4.8.2.1.3 CMV list row.
    Cmv,
    /// §4.8.2.1.4 event list row.
    Event,
    /// §4.8.2.1.5 annotation row.
    Annotation,
    /// §4.8.2.1.6 certification row.
    Certification,
    /// §4.8.2.1.7 malfunction/diagnostic row.
    Malfunction,
    /// §4.8.2.1.8 login/logout row.
    LoginLogout,
    /// §4.8.2.1.9 engine power-up/shut-down row.
    EnginePower,
    /// §4.8.2.1.10 unidentified driver profile row.
    Unidentified,
    /// §4.8.2.1.11 the file data check value line.
    FileCheckValue,
}

impl Layout {
    /// The layout of header line `n` (1 to 7).
    pub const fn header(n: usize) -> Option<Layout> {
        Some(match n {
            1 => Layout::H1,
            2 => Layout::H2,
            3 => Layout::H3,
            4 => Layout::H4,
            5 => Layout::H5,
            6 => Layout::H6,
            7 => Layout::H7,
            _ => return None,
        })
    }

    /// The fields of the line, in order; the line data check value is last
    /// (except on the file check value line, which has one field).
    pub const fn fields(self) -> &'static [FieldName] {
        use FieldName::*;
        match self {
            Layout::H1 => &[
                LastName,
                FirstName,
                Username,
                LicenceState,
                LicenceNumber,
                LineCheckValue,
            ],
            Layout::H2 => &[
                CoDriverLastName,
                CoDriverFirstName,
                CoDriverUsername,
                LineCheckValue,
            ],
            Layout::H3 => &[PowerUnit, Vin, Trailers, LineCheckValue],
            Layout::H4 => &[
                UsdotNumber,
                CarrierName,
                MultidayBasis,
                PeriodStartTime,
                TimeZoneOffset,
                LineCheckValue,
            ],
            Layout::H5 => &[ShippingDocument, ExemptConfiguration, LineCheckValue],
            Layout::H6 => &[
                Date,
                Time,
                Latitude,
                Longitude,
                VehicleMiles,
                EngineHours,
                LineCheckValue,
            ],
            Layout::H7 => &[
                RegistrationId,
                EldIdentifier,
                AuthenticationValue,
                OutputFileComment,
                LineCheckValue,
            ],
            Layout::User => &[
                OrderNumber,
                AccountType,
                LastName,
                FirstName,
                LineCheckValue,
            ],
            Layout::Cmv => &[OrderNumber, PowerUnit, Vin, LineCheckValue],
            Layout::Event => &[
                SequenceId,
                RecordStatus,
                RecordOrigin,
                EventType,
                EventCode,
                Date,
                Time,
                VehicleMiles,
                EngineHours,
                Latitude,
                Longitude,
                DistanceSinceLastValid,
                CmvOrder,
                UserOrder,
                MalfunctionStatus,
                DiagnosticStatus,
                EventCheckValue,
                LineCheckValue,
            ],
            Layout::Annotation => &[
                SequenceId,
                Username,
                Comment,
                Date,
                Time,
                LocationDescription,
                LineCheckValue,
            ],
            Layout::Certification => &[
                SequenceId,
                EventCode,
                Date,
                Time,
                CertifiedDate,
                CmvOrder,
                LineCheckValue,
            ],
            Layout::Malfunction => &[
                SequenceId,
                EventCode,
                MalfunctionCode,
                Date,
                Time,
                VehicleMiles,
                EngineHours,
                CmvOrder,
                LineCheckValue,
            ],
            Layout::LoginLogout => &[
                SequenceId,
                EventCode,
                Username,
                Date,
                Time,
                VehicleMiles,
                EngineHours,
                LineCheckValue,
            ],
            Layout::EnginePower => &[
                SequenceId,
                EventCode,
                Date,
                Time,
                VehicleMiles,
                EngineHours,
                Latitude,
                Longitude,
                PowerUnit,
                Vin,
                Trailers,
                ShippingDocument,
                LineCheckValue,
            ],
            Layout::Unidentified => &[
                SequenceId,
                RecordStatus,
                RecordOrigin,
                EventType,
                EventCode,
                Date,
                Time,
                VehicleMiles,
                EngineHours,
                Latitude,
                Longitude,
                DistanceSinceLastValid,
                CmvOrder,
                MalfunctionStatus,
                EventCheckValue,
                LineCheckValue,
            ],
            Layout::FileCheckValue => &[FileCheckValue],
        }
    }

    /// How many fields the line has, the line check value included.
    pub const fn field_count(self) -> usize {
        self.fields().len()
    }

    /// The 1-based position of `name` on this line (a table lookup: the
    /// checker asks this for several fields of every line).
    pub fn position(self, name: FieldName) -> Option<usize> {
        match POSITIONS[self as usize][name as usize] {
            0 => None,
            p => Some(usize::from(p)),
        }
    }

    /// True when the line ends with a line data check value (every data
    /// line except the file check value line, §4.4.5.2).
    pub const fn has_line_check_value(self) -> bool {
        !matches!(self, Layout::FileCheckValue)
    }
}

/// Every layout, in declaration order (`ALL_LAYOUTS[l as usize] == l`).
const ALL_LAYOUTS: [Layout; 17] = [
    Layout::H1,
    Layout::H2,
    Layout::H3,
    Layout::H4,
    Layout::H5,
    Layout::H6,
    Layout::H7,
    Layout::User,
    Layout::Cmv,
    Layout::Event,
    Layout::Annotation,
    Layout::Certification,
    Layout::Malfunction,
    Layout::LoginLogout,
    Layout::EnginePower,
    Layout::Unidentified,
    Layout::FileCheckValue,
];

const FIELD_NAMES: usize = FieldName::LineCheckValue as usize + 1;

/// `POSITIONS[layout][name]`: the 1-based position of the first field
/// called `name` in `layout`, 0 when it has none.
const POSITIONS: [[u8; FIELD_NAMES]; ALL_LAYOUTS.len()] = {
    let mut table = [[0u8; FIELD_NAMES]; ALL_LAYOUTS.len()];
    let mut l = 0;
    while l < ALL_LAYOUTS.len() {
        let fields = ALL_LAYOUTS[l].fields();
        // Backwards, so that the first field of a name wins.
        let mut i = fields.len();
        while i > 0 {
            i -= 1;
            table[l][fields[i] as usize] = (i + 1) as u8;
        }
        l += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_counts_match_spec() {
        let cases = [
            (Layout::H1, 6),
            (Layout::H2, 4),
            (Layout::H3, 4),
            (Layout::H4, 6),
            (Layout::H5, 3),
            (Layout::H6, 7),
            (Layout::H7, 5),
            (Layout::User, 5),
            (Layout::Cmv, 4),
            (Layout::Event, 18),
            (Layout::Annotation, 7),
            (Layout::Certification, 7),
            (Layout::Malfunction, 9),
            (Layout::LoginLogout, 8),
            (Layout::EnginePower, 13),
            (Layout::Unidentified, 16),
            (Layout::FileCheckValue, 1),
        ];
        for (layout, n) in cases {
            assert_eq!(layout.field_count(), n, "{layout:?}");
        }
    }

    #[test]
    fn position_table_matches_the_field_lists() {
        for (i, layout) in ALL_LAYOUTS.into_iter().enumerate() {
            assert_eq!(layout as usize, i);
            let fields = layout.fields();
            for (p, &name) in fields.iter().enumerate() {
                // No layout names a field twice.
                assert_eq!(layout.position(name), Some(p + 1), "{layout:?} {name:?}");
            }
            let absent = (0..FIELD_NAMES).filter(|&n| POSITIONS[i][n] == 0).count();
            assert_eq!(absent, FIELD_NAMES - fields.len(), "{layout:?}");
        }
        assert_eq!(Layout::H1.position(FieldName::Date), None);
    }

    #[test]
    fn titles_round_trip_and_loose_match() {
        for k in SectionKind::ALL {
            assert_eq!(SectionKind::from_title(k.title().as_bytes()), Some(k));
            assert_eq!(SectionKind::ALL[k.ordinal()], k);
        }
        assert_eq!(SectionKind::from_title(b"user list:"), None);
        assert_eq!(
            SectionKind::from_title_loose(b" user list: "),
            Some(SectionKind::UserList)
        );
        assert_eq!(
            SectionKind::from_title_loose(
                "Driver\u{2019}s Certification/Recertification Actions:".as_bytes()
            ),
            Some(SectionKind::Certifications)
        );
        assert_eq!(SectionKind::from_title_loose(b"Users:"), None);
    }
}
