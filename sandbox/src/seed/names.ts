/** English/Bulgarian word lists the seed composes names from: [EN, BG]. */
export type NamePair = readonly [english: string, bulgarian: string];

export const COMPANY_STEMS: readonly NamePair[] = [
	['Balkan', 'Балкан'],
	['Rila', 'Рила'],
	['Pirin', 'Пирин'],
	['Vitosha', 'Витоша'],
	['Danube', 'Дунав'],
	['Black Sea', 'Черно море'],
	['Thracia', 'Тракия'],
	['Rhodope', 'Родопи'],
	['Stara Planina', 'Стара планина'],
	['Iskar', 'Искър'],
	['Maritsa', 'Марица'],
	['Struma', 'Струма'],
	['Yantra', 'Янтра'],
	['Orpheus', 'Орфей'],
	['Zora', 'Зора'],
	['Sever', 'Север'],
	['Kaliakra', 'Калиакра'],
	['Emona', 'Емона'],
	['Serdika', 'Сердика'],
	['Tundzha', 'Тунджа'],
];

export const COMPANY_ACTIVITIES: readonly NamePair[] = [
	['Trade', 'Трейд'],
	['Logistics', 'Логистик'],
	['Foods', 'Фуудс'],
	['Consulting', 'Консултинг'],
	['Engineering', 'Инженеринг'],
	['Textile', 'Текстил'],
	['Pharma', 'Фарма'],
	['Print', 'Принт'],
	['Build', 'Билд'],
	['Systems', 'Системс'],
	['Agro', 'Агро'],
	['Motors', 'Моторс'],
	['Energy', 'Енерджи'],
	['Wood', 'Ууд'],
	['Tech', 'Тех'],
];

/** Legal forms as `RegistrationType` (MultilanguageString (16)). */
export const LEGAL_FORMS: readonly NamePair[] = [
	['Ltd.', 'ООД'],
	['Ltd.', 'ЕООД'],
	['JSC', 'АД'],
	['LP', 'КД'],
];

export const MALE_FIRST_NAMES: readonly NamePair[] = [
	['Ivan', 'Иван'],
	['Georgi', 'Георги'],
	['Dimitar', 'Димитър'],
	['Petar', 'Петър'],
	['Nikolay', 'Николай'],
	['Stoyan', 'Стоян'],
	['Hristo', 'Христо'],
	['Todor', 'Тодор'],
	['Aleksandar', 'Александър'],
	['Vasil', 'Васил'],
	['Krasimir', 'Красимир'],
	['Yordan', 'Йордан'],
];

export const FEMALE_FIRST_NAMES: readonly NamePair[] = [
	['Maria', 'Мария'],
	['Elena', 'Елена'],
	['Ivanka', 'Иванка'],
	['Desislava', 'Десислава'],
	['Teodora', 'Теодора'],
	['Yordanka', 'Йорданка'],
	['Radka', 'Радка'],
	['Gergana', 'Гергана'],
	['Tsvetelina', 'Цветелина'],
	['Nadezhda', 'Надежда'],
	['Svetlana', 'Светлана'],
	['Zhivka', 'Живка'],
];

/** Male surname forms; the female form appends "a" in both languages. */
export const SURNAMES: readonly NamePair[] = [
	['Ivanov', 'Иванов'],
	['Petrov', 'Петров'],
	['Georgiev', 'Георгиев'],
	['Dimitrov', 'Димитров'],
	['Nikolov', 'Николов'],
	['Stoyanov', 'Стоянов'],
	['Hristov', 'Христов'],
	['Todorov', 'Тодоров'],
	['Angelov', 'Ангелов'],
	['Popov', 'Попов'],
	['Kolev', 'Колев'],
	['Yordanov', 'Йорданов'],
	['Marinov', 'Маринов'],
	['Atanasov', 'Атанасов'],
	['Iliev', 'Илиев'],
	['Zhelyazkov', 'Желязков'],
];

export const CITIES: readonly NamePair[] = [
	['Sofia', 'София'],
	['Plovdiv', 'Пловдив'],
	['Varna', 'Варна'],
	['Burgas', 'Бургас'],
	['Ruse', 'Русе'],
	['Stara Zagora', 'Стара Загора'],
	['Pleven', 'Плевен'],
	['Veliko Tarnovo', 'Велико Търново'],
	['Blagoevgrad', 'Благоевград'],
	['Gabrovo', 'Габрово'],
];

export const STREETS: readonly NamePair[] = [
	['Vitosha Blvd', 'бул. Витоша'],
	['Tsarigradsko Shose Blvd', 'бул. Цариградско шосе'],
	['Rakovski St', 'ул. Раковски'],
	['Graf Ignatiev St', 'ул. Граф Игнатиев'],
	['Knyaz Boris I St', 'ул. Княз Борис I'],
	['Maria Luiza Blvd', 'бул. Мария Луиза'],
	['Shipka St', 'ул. Шипка'],
	['Hristo Botev Blvd', 'бул. Христо Ботев'],
];
