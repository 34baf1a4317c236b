"""Who the synthetic caseload is made of: origin countries, their languages, common names.

The weights follow the broad shape of the nationalities of people with final removal orders in
the United States (Mexico and Central America first, then South America and the Caribbean,
then South and East Asia, Africa and the Middle East), and of the small-boat arrivals the UK's
Rwanda scheme was aimed at. They are shapes, not statistics.

Names are common given and family names of each language group, drawn independently and
combined at random, so no generated person stands for anyone real.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """People of one origin: where born, which nationality, which languages, which names."""

    birth: str  # country of birth
    nationality: str  # "" for stateless people
    weight: float
    languages: tuple[str, ...]  # best understood first
    names: str  # key of NAMES
    second: str = ""  # a second nationality some of them hold


US_PROFILES = [
    Profile("MX", "MX", 28, ("es",), "hispanic", "GT"),
    Profile("GT", "GT", 9, ("es",), "hispanic", "MX"),
    Profile("GT", "GT", 4, ("quc", "es"), "hispanic"),
    Profile("HN", "HN", 12, ("es",), "hispanic", "SV"),
    Profile("SV", "SV", 7, ("es",), "hispanic", "GT"),
    Profile("VE", "VE", 7, ("es",), "hispanic", "CO"),
    Profile("CU", "CU", 4, ("es",), "hispanic", "ES"),
    Profile("NI", "NI", 4, ("es",), "hispanic", "CR"),
    Profile("CO", "CO", 4, ("es",), "hispanic", "VE"),
    Profile("EC", "EC", 4, ("es",), "hispanic", "ES"),
    Profile("DO", "DO", 2, ("es",), "hispanic"),
    Profile("PE", "PE", 1, ("es",), "hispanic"),
    Profile("BR", "BR", 2, ("pt",), "lusophone", "PT"),
    Profile("HT", "HT", 3, ("ht", "fr"), "haitian", "DO"),
    Profile("IN", "IN", 1.5, ("hi",), "south_asian"),
    Profile("IN", "IN", 1, ("pa", "hi"), "south_asian"),
    Profile("CN", "CN", 2, ("zh",), "chinese"),
    Profile("VN", "VN", 0.6, ("vi",), "vietnamese"),
    Profile("RU", "RU", 0.6, ("ru",), "slavic"),
    Profile("UA", "UA", 0.4, ("uk", "ru"), "slavic"),
    Profile("GH", "GH", 0.6, ("ak", "en"), "west_african", "NG"),
    Profile("NG", "NG", 0.6, ("yo", "en"), "west_african", "GH"),
    Profile("SN", "SN", 0.5, ("wo", "fr"), "west_african"),
    Profile("MR", "MR", 0.6, ("ar", "fr"), "arabic", "SN"),
    Profile("CM", "CM", 0.4, ("fr", "en"), "west_african"),
    Profile("CD", "CD", 0.3, ("ln", "fr"), "central_african", "RW"),
    Profile("ER", "ER", 0.3, ("ti",), "horn", "ET"),
    Profile("SO", "SO", 0.4, ("so",), "horn", "KE"),
    Profile("AF", "AF", 0.5, ("ps", "fa"), "persian", "IR"),
    Profile("IR", "IR", 0.3, ("fa",), "persian"),
    Profile("IQ", "IQ", 0.3, ("ar",), "arabic", "SY"),
    Profile("SY", "SY", 0.2, ("ar",), "arabic", "LB"),
    Profile("YE", "YE", 0.2, ("ar",), "arabic"),
]

UK_PROFILES = [
    Profile("AF", "AF", 5, ("ps", "fa"), "persian"),
    Profile("IR", "IR", 4, ("fa",), "persian"),
    Profile("IQ", "IQ", 3, ("ku", "ar"), "arabic"),
    Profile("SY", "SY", 3, ("ar",), "arabic"),
    Profile("ER", "ER", 3, ("ti",), "horn"),
    Profile("SD", "SD", 3, ("ar",), "arabic"),
    Profile("VN", "VN", 2, ("vi",), "vietnamese"),
    Profile("AL", "AL", 2, ("sq",), "albanian"),
]

# Stateless people, by where they were born: Rohingya from Myanmar, Bidoon from Kuwait,
# Palestinians born in Syria or Lebanon, Dominicans of Haitian descent denied nationality.
STATELESS_PROFILES = [
    Profile("MM", "", 3, ("rhg", "my"), "arabic"),
    Profile("KW", "", 2, ("ar",), "arabic"),
    Profile("SY", "", 2, ("ar",), "arabic"),
    Profile("LB", "", 1, ("ar",), "arabic"),
    Profile("DO", "", 2, ("es", "ht"), "haitian"),
]

# Receiving states of the reference agreements, as destinations named in notices.
DESTINATIONS = {
    "RW": 16, "SV": 12, "CR": 10, "SZ": 10, "GH": 10, "UG": 10,
    "PA": 8, "SS": 6, "GQ": 5, "XK": 5, "PW": 4, "LY": 4,
}  # fmt: skip

# Offence categories of convictions and charges, with how common each is.
OFFENCES = {
    "illegal_reentry": 20, "dui": 15, "drug_possession": 15, "theft": 10, "traffic": 10,
    "assault": 8, "fraud": 6, "drug_trafficking": 5, "domestic_violence": 4, "weapons": 3,
    "violent": 2, "child_sex_offence": 1, "homicide": 1,
}  # fmt: skip

STAY_GRANTORS = ["IJ", "BIA", "court of appeals", "district court", "ICE"]
STAY_SCOPES = ["all_removals", "all_removals", "all_removals", "SV"]
NOTICE_METHODS = ["in person", "in person", "in person", "in person", "by mail to counsel"]
DECLINE_REASONS = ["vetting not completed", "criminal history", "quota reached", ""]

NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # group: (given names, family names)
    "hispanic": (
        ("José", "María", "Juan", "Ana", "Luis", "Carmen", "Carlos", "Rosa", "Jorge", "Lucía",
         "Miguel", "Elena", "Pedro", "Gabriela", "Javier", "Sofía", "Diego", "Marta"),
        ("García", "Hernández", "López", "Martínez", "González", "Rodríguez", "Pérez",
         "Sánchez", "Ramírez", "Flores", "Cruz", "Morales", "Reyes", "Ortiz", "Castillo",
         "Vásquez", "Romero", "Mejía"),
    ),
    "lusophone": (
        ("João", "Ana", "Pedro", "Mariana", "Lucas", "Beatriz", "Rafael", "Camila"),
        ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Almeida", "Ferreira"),
    ),
    "haitian": (
        ("Jean", "Marie", "Pierre", "Rose", "Joseph", "Nadège", "Wilson", "Guerline"),
        ("Joseph", "Pierre", "Louis", "Charles", "Jean-Baptiste", "Michel", "Desir", "Noel"),
    ),
    "south_asian": (
        ("Amit", "Priya", "Raj", "Sunita", "Harpreet", "Deepak", "Anjali", "Gurpreet"),
        ("Singh", "Patel", "Kumar", "Sharma", "Kaur", "Shah", "Gill", "Verma"),
    ),
    "chinese": (
        ("Wei", "Fang", "Jun", "Li", "Hui", "Ming", "Yan", "Lei"),
        ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Lin"),
    ),
    "vietnamese": (
        ("Minh", "Lan", "Anh", "Hoa", "Tuan", "Linh", "Duc", "Mai"),
        ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui"),
    ),
    "slavic": (
        ("Ivan", "Olena", "Dmitri", "Anna", "Sergei", "Iryna", "Pavel", "Natalia"),
        ("Ivanenko", "Kovalenko", "Petrov", "Sokolov", "Bondarenko", "Morozov", "Shevchuk"),
    ),
    "west_african": (
        ("Kwame", "Ama", "Kofi", "Abena", "Mamadou", "Aminata", "Ibrahim", "Fatou", "Chinedu"),
        ("Mensah", "Owusu", "Boateng", "Diallo", "Ba", "Ndiaye", "Okafor", "Adeyemi", "Sow"),
    ),
    "central_african": (
        ("Jean-Claude", "Grâce", "Patrick", "Esther", "Didier", "Chantal"),
        ("Mukendi", "Kabongo", "Ilunga", "Tshibanda", "Mbuyi", "Kalala"),
    ),
    "horn": (
        ("Yonas", "Selam", "Abdi", "Hodan", "Dawit", "Saba", "Mohamed", "Fadumo"),
        ("Tesfaye", "Gebre", "Haile", "Hassan", "Nur", "Warsame", "Tekle", "Abdullahi"),
    ),
    "persian": (
        ("Ahmad", "Zahra", "Reza", "Maryam", "Hamid", "Fereshteh", "Farid", "Nazanin"),
        ("Ahmadi", "Rahimi", "Karimi", "Hosseini", "Mohammadi", "Noori", "Sultani", "Azizi"),
    ),
    "arabic": (
        ("Omar", "Fatima", "Ali", "Mariam", "Khalid", "Layla", "Yusuf", "Huda", "Samir"),
        ("Hussein", "Haddad", "Khalil", "Mahmoud", "Saleh", "Nasser", "Abbas", "Darwish"),
    ),
    "albanian": (
        ("Arben", "Elira", "Besnik", "Drita", "Ilir", "Mirela"),
        ("Kola", "Marku", "Prifti", "Gjoka", "Dervishi", "Lika"),
    ),
}  # fmt: skip
