//! American spellings mapped to the British ones ESCO writes, so that a user who types
//! "organize rehearsals" finds "organise rehearsals". Both the index and the query go through
//! this mapping, so a word wrongly mapped still matches itself; what matters is that the two
//! spellings of one word meet.
//!
//! Rules, applied to a folded word:
//! - the `-ize` family becomes `-ise` (`organize`, `organizing`, `organization`), and `-yze`
//!   becomes `-yse` (`analyze`);
//! - the `ae`/`oe` medical spellings meet the American ones (`paediatric` = `pediatric`);
//! - a closed list of other pairs (`color`/`colour`, `center`/`centre`, `traveling`/
//!   `travelling`, `catalog`/`catalogue`, `program`/`programme`, `defense`/`defence`, ...).

/// The British form of `word`, when it differs.
pub fn british(word: &str) -> Option<String> {
    if let Some(gb) = PAIR_MAP.get(word) {
        return Some((*gb).to_owned());
    }
    // The medical `ae`/`oe` spellings: mapped the other way (the shorter form), on both sides.
    for (gb, us) in [("paed", "ped"), ("anaes", "anes"), ("haem", "hem"), ("gynaec", "gynec"), ("oesoph", "esoph")] {
        if let Some(rest) = word.strip_prefix(gb) {
            return Some(format!("{us}{rest}"));
        }
    }
    for (us, gb) in [
        ("izations", "isations"),
        ("ization", "isation"),
        ("izing", "ising"),
        ("ized", "ised"),
        ("izes", "ises"),
        ("izers", "isers"),
        ("izer", "iser"),
        ("ize", "ise"),
        ("yzing", "ysing"),
        ("yzed", "ysed"),
        ("yzes", "yses"),
        ("yzer", "yser"),
        ("yze", "yse"),
    ] {
        if let Some(stem) = word.strip_suffix(us) {
            // "size", "prize", "seize": too short to be the -ize family.
            if stem.len() >= 3 && !matches!(word, "capsize" | "capsized" | "downsize" | "downsized" | "downsizing") {
                return Some(format!("{stem}{gb}"));
            }
        }
    }
    None
}

/// [`PAIRS`] as a map: every word of a text is looked up (extraction reads up to 32 KiB of
/// words, and a linear scan of the pairs was a tenth of its time).
static PAIR_MAP: std::sync::LazyLock<std::collections::HashMap<&str, &str, foldhash::fast::RandomState>> =
    std::sync::LazyLock::new(|| PAIRS.iter().copied().collect());

/// American → British, whole words.
const PAIRS: &[(&str, &str)] = &[
    ("color", "colour"),
    ("colors", "colours"),
    ("coloring", "colouring"),
    ("behavior", "behaviour"),
    ("behaviors", "behaviours"),
    ("behavioral", "behavioural"),
    ("favor", "favour"),
    ("favorable", "favourable"),
    ("honor", "honour"),
    ("labor", "labour"),
    ("neighbor", "neighbour"),
    ("neighborhood", "neighbourhood"),
    ("flavor", "flavour"),
    ("flavors", "flavours"),
    ("flavoring", "flavouring"),
    ("humor", "humour"),
    ("harbor", "harbour"),
    ("vapor", "vapour"),
    ("odor", "odour"),
    ("odors", "odours"),
    ("armor", "armour"),
    ("tumor", "tumour"),
    ("tumors", "tumours"),
    ("rumor", "rumour"),
    ("vigor", "vigour"),
    ("savior", "saviour"),
    ("center", "centre"),
    ("centers", "centres"),
    ("centered", "centred"),
    ("theater", "theatre"),
    ("theaters", "theatres"),
    ("fiber", "fibre"),
    ("fibers", "fibres"),
    ("liter", "litre"),
    ("liters", "litres"),
    ("caliber", "calibre"),
    ("meager", "meagre"),
    ("somber", "sombre"),
    ("specter", "spectre"),
    ("luster", "lustre"),
    ("traveling", "travelling"),
    ("traveled", "travelled"),
    ("traveler", "traveller"),
    ("travelers", "travellers"),
    ("modeling", "modelling"),
    ("modeled", "modelled"),
    ("labeling", "labelling"),
    ("labeled", "labelled"),
    ("canceling", "cancelling"),
    ("canceled", "cancelled"),
    ("counseling", "counselling"),
    ("counselor", "counsellor"),
    ("counselors", "counsellors"),
    ("signaling", "signalling"),
    ("leveling", "levelling"),
    ("fueling", "fuelling"),
    ("channeling", "channelling"),
    ("tunneling", "tunnelling"),
    ("paneling", "panelling"),
    ("marshaling", "marshalling"),
    ("jewelry", "jewellery"),
    ("jeweler", "jeweller"),
    ("enrollment", "enrolment"),
    ("fulfill", "fulfil"),
    ("skillful", "skilful"),
    ("installment", "instalment"),
    ("catalog", "catalogue"),
    ("catalogs", "catalogues"),
    ("dialog", "dialogue"),
    ("analog", "analogue"),
    ("program", "programme"),
    ("programs", "programmes"),
    ("defense", "defence"),
    ("offense", "offence"),
    ("license", "licence"),
    ("licenses", "licences"),
    ("practicing", "practising"),
    ("aging", "ageing"),
    ("judgment", "judgement"),
    ("acknowledgment", "acknowledgement"),
    ("artifact", "artefact"),
    ("artifacts", "artefacts"),
    ("gray", "grey"),
    ("mold", "mould"),
    ("molding", "moulding"),
    ("molds", "moulds"),
    ("plow", "plough"),
    ("plowing", "ploughing"),
    ("aluminum", "aluminium"),
    ("sulfur", "sulphur"),
    ("skeptical", "sceptical"),
    ("maneuver", "manoeuvre"),
    ("maneuvers", "manoeuvres"),
    ("maneuvering", "manoeuvring"),
    ("tire", "tyre"),
    ("tires", "tyres"),
    ("curb", "kerb"),
    ("cozy", "cosy"),
    ("mustache", "moustache"),
    ("pajamas", "pyjamas"),
    ("esthetic", "aesthetic"),
    ("esthetics", "aesthetics"),
    ("fetus", "foetus"),
    ("estrogen", "oestrogen"),
    ("diarrhea", "diarrhoea"),
    ("leukemia", "leukaemia"),
    ("anemia", "anaemia"),
    ("edema", "oedema"),
    ("orthopedic", "orthopaedic"),
    ("orthopedics", "orthopaedics"),
    ("encyclopedia", "encyclopaedia"),
    ("archeology", "archaeology"),
    ("archeological", "archaeological"),
];

#[cfg(test)]
mod tests {
    use super::british;

    #[test]
    fn american_spellings_meet_british_ones() {
        assert_eq!(british("organize").as_deref(), Some("organise"));
        assert_eq!(british("organization").as_deref(), Some("organisation"));
        assert_eq!(british("analyze").as_deref(), Some("analyse"));
        assert_eq!(british("paediatric").as_deref(), Some("pediatric"));
        assert_eq!(british("color").as_deref(), Some("colour"));
        assert_eq!(british("size"), None);
        assert_eq!(british("organise"), None);
    }
}
