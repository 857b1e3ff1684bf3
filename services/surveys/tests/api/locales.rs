//! The customer's language: question texts per locale stored with their
//! version, the customer's preferred locale carried from the delivery to
//! the link's answer, and bad tags and texts named by field.

use aftercare_proto::surveys::v1 as pb;

use crate::{
    both,
    support::{Harness, delivered, draft, field_of, station_name, who},
};

/// The test draft, asked in Chinese, with English texts for its first two
/// questions.
fn bilingual() -> pb::SurveyVersion {
    let mut version = draft();
    version.locale = "zh-CN".into();
    for (q, en) in version
        .questions
        .iter_mut()
        .zip(["Clean?", "Was it clean?"])
    {
        q.translations.insert("en".into(), en.into());
    }
    version
}

async fn publish(
    h: &Harness,
    version: pb::SurveyVersion,
) -> Result<pb::SurveyVersion, tonic::Status> {
    let mut oem = h.templates(who::oem());
    oem.create_survey_template(pb::CreateSurveyTemplateRequest {
        survey_template: Some(pb::SurveyTemplate {
            code: "after-sales".into(),
            display_name: "After-sales visit".into(),
            ..Default::default()
        }),
        request_id: "create".into(),
    })
    .await?;
    oem.publish_survey_version(pb::PublishSurveyVersionRequest {
        template_code: "after-sales".into(),
        version: Some(version),
        request_id: String::new(),
    })
    .await
    .map(tonic::Response::into_inner)
}

/// Delivers RO `ro` of dealer d1 for a customer who prefers `locale`.
async fn deliver_for(h: &Harness, ro: &str, locale: &str) -> pb::SurveyInvitation {
    let mut event = delivered(&format!("ev-{ro}"), ro, "d1", "r1");
    event.event.as_mut().unwrap().locale = locale.into();
    h.invitations(who::relay("d1"))
        .receive_repair_order_delivered(event)
        .await
        .expect("invitation created")
        .into_inner()
}

both!(
    translations_are_stored_and_returned,
    |h: Harness| async move {
        let published = publish(&h, bilingual()).await.unwrap();
        assert_eq!(published.locale, "zh-CN");
        assert_eq!(published.questions[0].translations["en"], "Clean?");
        let read = h
            .templates(who::dealer("d1"))
            .get_survey_template(pb::GetSurveyTemplateRequest {
                code: "after-sales".into(),
            })
            .await
            .unwrap()
            .into_inner();
        let version = &read.versions[0];
        assert_eq!(version.locale, "zh-CN");
        assert_eq!(version.questions[1].translations["en"], "Was it clean?");
        assert!(version.questions[2].translations.is_empty());

        // The link's holder reads them too.
        let invitation = deliver_for(&h, "ro-1", "en").await;
        let token = h.issue(&invitation.id).await;
        let asked = h
            .link()
            .get_survey_by_link(pb::GetSurveyByLinkRequest { link_token: token })
            .await
            .unwrap()
            .into_inner();
        let version = asked.version.unwrap();
        assert_eq!(version.locale, "zh-CN");
        assert_eq!(version.questions[0].translations["en"], "Clean?");
    }
);

both!(
    the_customers_locale_reaches_the_link,
    |h: Harness| async move {
        publish(&h, bilingual()).await.unwrap();
        let told = deliver_for(&h, "ro-1", "zh-CN").await;
        assert_eq!(told.locale, "zh-CN");
        let untold = deliver_for(&h, "ro-2", "").await;
        assert_eq!(untold.locale, "");
        let listed = h
            .invitations(who::dealer("d1"))
            .get_survey_invitation(pb::GetSurveyInvitationRequest {
                id: told.id.clone(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(listed.locale, "zh-CN");

        for (invitation, locale) in [(&told, "zh-CN"), (&untold, "")] {
            let token = h.issue(&invitation.id).await;
            let asked = h
                .link()
                .get_survey_by_link(pb::GetSurveyByLinkRequest { link_token: token })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(asked.locale, locale);
            assert_eq!(asked.station_name, station_name("d1"));
        }
    }
);

both!(
    bad_locales_and_translations_name_their_field,
    |h: Harness| async move {
        let mut bad_locale = bilingual();
        bad_locale.locale = "zh_CN".into();
        assert_eq!(field_of(publish(&h, bad_locale).await), "version.locale");

        let mut bad_key = bilingual();
        bad_key.questions[0]
            .translations
            .insert("chinese simplified".into(), "干净吗？".into());
        assert_eq!(
            field_of(publish(&h, bad_key).await),
            r#"version.questions[0].translations["chinese simplified"]"#
        );

        let mut empty_text = bilingual();
        empty_text.questions[1]
            .translations
            .insert("en".into(), "  ".into());
        assert_eq!(
            field_of(publish(&h, empty_text).await),
            r#"version.questions[1].translations["en"]"#
        );

        let mut too_long = bilingual();
        too_long.questions[2]
            .translations
            .insert("en".into(), "x".repeat(501));
        assert_eq!(
            field_of(publish(&h, too_long).await),
            r#"version.questions[2].translations["en"]"#
        );

        let mut event = delivered("ev-1", "ro-1", "d1", "r1");
        event.event.as_mut().unwrap().locale = "中文".into();
        assert_eq!(
            field_of(
                h.invitations(who::relay("d1"))
                    .receive_repair_order_delivered(event)
                    .await
            ),
            "event.locale"
        );
        // Nothing was half-written: no version was published and the RO has
        // no invitation.
        let template = h
            .templates(who::oem())
            .get_survey_template(pb::GetSurveyTemplateRequest {
                code: "after-sales".into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert!(template.versions.is_empty());
        let listed = h
            .invitations(who::oem())
            .list_survey_invitations(pb::ListSurveyInvitationsRequest::default())
            .await
            .unwrap()
            .into_inner();
        assert!(listed.survey_invitations.is_empty());
    }
);
