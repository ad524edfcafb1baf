//! Events on the demo CRM's calendars: the executive's (a few linked to her customers'
//! contacts and opportunities, one private, one all-day across three days, one added by an
//! assistant, one deleted yesterday), and a few of her assistants' and colleagues' own.

use chrono::Duration;
use serde_json::json;

use super::{Builder, Customer};
use crate::salesforce::schema::SObject;
use crate::salesforce::values::format_date;

impl Builder<'_> {
    pub(super) fn events(&mut self, customers: &[Customer]) {
        let olivia = self.user("olivia.grant@contoso.com");
        let daniel = self.user("daniel.reyes@contoso.com");
        let emma = self.user("emma.chen@contoso.com");
        let marcus = self.user("marcus.webb@contoso.com");
        let carla = self.user("carla.mendes@contoso.com");
        let customer = |company: &str| customers.iter().find(|c| c.company == company);
        let fabrikam = customer("Fabrikam");
        let woodgrove = customer("Woodgrove Bank");
        let northwind = customer("Northwind Traders");
        let tailspin = customer("Tailspin Toys");
        let litware = customer("Litware");
        let adventure = customer("Adventure Works");
        let ev = |subject: &str, start: String, minutes: i64, owner: &str| {
            json!({
                "Subject": subject,
                "StartDateTime": start,
                "DurationInMinutes": minutes,
                "OwnerId": owner,
                "ShowAs": "Busy",
            })
        };
        let mut e = ev("Fabrikam renewal review", self.at(3, 14, 0), 60, &olivia);
        e["Location"] = json!("Fabrikam HQ, Seattle");
        e["WhoId"] = json!(fabrikam.map(|c| &c.contact));
        e["WhatId"] = json!(fabrikam.map(|c| &c.opportunity));
        e["Description"] = json!("Renewal terms and the expansion into Japan.");
        self.insert(SObject::Event, &olivia, 5, e);
        let mut e = ev(
            "Quarterly business review: Woodgrove Bank",
            self.at(8, 10, 0),
            90,
            &olivia,
        );
        e["Location"] = json!("Board Room 4.01");
        e["WhoId"] = json!(woodgrove.map(|c| &c.contact));
        e["WhatId"] = json!(woodgrove.map(|c| &c.account));
        self.insert(SObject::Event, &daniel, 2, e);
        let mut e = ev(
            "Call with Northwind Traders",
            self.at(1, 16, 0),
            30,
            &olivia,
        );
        e["WhoId"] = json!(northwind.map(|c| &c.contact));
        e["Type"] = json!("Call");
        self.insert(SObject::Event, &olivia, 4, e);
        let mut e = ev("Board deck review", self.at(2, 9, 0), 60, &olivia);
        e["Location"] = json!("Board Room 4.01");
        self.insert(SObject::Event, &olivia, 6, e);
        let mut e = ev("Personal appointment", self.at(4, 12, 0), 60, &olivia);
        e["IsPrivate"] = json!(true);
        e["ShowAs"] = json!("OutOfOffice");
        e["Description"] = json!("Private.");
        self.insert(SObject::Event, &olivia, 3, e);
        let summit = json!({
            "Subject": "Contoso Partner Summit",
            "IsAllDayEvent": true,
            "ActivityDate": format_date(self.today + Duration::days(23)),
            "DurationInMinutes": 3 * 1440,
            "Location": "Moscone Center, San Francisco",
            "OwnerId": olivia,
            "ShowAs": "OutOfOffice",
        });
        self.insert(SObject::Event, &daniel, 9, summit);
        let mut e = ev("Tailspin Toys kickoff", self.at(-6, 11, 0), 60, &olivia);
        e["WhoId"] = json!(tailspin.map(|c| &c.contact));
        e["WhatId"] = json!(tailspin.map(|c| &c.opportunity));
        self.insert(SObject::Event, &olivia, 12, e);
        let mut e = ev(
            "Visitor: Adventure Works delegation",
            self.at(6, 15, 0),
            45,
            &olivia,
        );
        e["WhoId"] = json!(adventure.map(|c| &c.contact));
        e["Location"] = json!("Reception, Building 4");
        self.insert(SObject::Event, &marcus, 1, e);
        let mut e = ev("Lunch with Litware", self.at(5, 12, 30), 90, &olivia);
        e["WhoId"] = json!(litware.map(|c| &c.contact));
        let lunch = self.insert(SObject::Event, &olivia, 7, e);
        self.delete(&lunch, &olivia, self.now - Duration::days(1));

        self.insert(
            SObject::Event,
            &daniel,
            3,
            ev(
                "Travel bookings for the summit",
                self.at(1, 15, 0),
                60,
                &daniel,
            ),
        );
        let mut e = ev("Dentist", self.at(3, 8, 0), 60, &daniel);
        e["IsPrivate"] = json!(true);
        self.insert(SObject::Event, &daniel, 3, e);
        self.insert(
            SObject::Event,
            &emma,
            10,
            ev("Staff meeting", self.at(1, 9, 0), 60, &emma),
        );
        let mut e = ev("Customer visit: Fabrikam", self.at(2, 13, 0), 120, &carla);
        e["WhatId"] = json!(fabrikam.map(|c| &c.account));
        self.insert(SObject::Event, &carla, 8, e);
    }
}
