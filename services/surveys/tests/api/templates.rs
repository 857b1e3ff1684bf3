//! Templates: head office creates and publishes; the network reads; bad
//! drafts name their field; retries apply once.

use aftercare_proto::surveys::v1 as pb;
use tonic::Code;

use crate::{
    both,
    support::{code_of, draft, field_of, who},
};

fn create(code: &str, request_id: &str) -> pb::CreateSurveyTemplateRequest {
    pb::CreateSurveyTemplateRequest {
        survey_template: Some(pb::SurveyTemplate {
            code: code.into(),
            display_name: "After-sales visit".into(),
            ..Default::default()
        }),
        request_id: request_id.into(),
    }
}

fn publish(code: &str, request_id: &str) -> pb::PublishSurveyVersionRequest {
    pb::PublishSurveyVersionRequest {
        template_code: code.into(),
        version: Some(draft()),
        request_id: request_id.into(),
    }
}

both!(
    head_office_publishes_numbered_versions,
    |h: crate::support::Harness| async move {
        let mut oem = h.templates(who::oem());
        let t = oem
            .create_survey_template(create("after-sales", ""))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(t.code, "after-sales");
        assert!(t.versions.is_empty());
        let v1 = oem
            .publish_survey_version(publish("after-sales", ""))
            .await
            .unwrap()
            .into_inner();
        let v2 = oem
            .publish_survey_version(publish("after-sales", ""))
            .await
            .unwrap()
            .into_inner();
        assert_eq!((v1.number, v2.number), (1, 2));
        assert_eq!(v1.questions.len(), 6);
        assert_eq!(v1.questions, draft().questions);
        assert_eq!(v1.nps_question, "recommend");

        for reader in [
            who::oem(),
            who::region("r1"),
            who::dealer("d1"),
            who::dms("d1"),
        ] {
            let got = h
                .templates(reader)
                .get_survey_template(pb::GetSurveyTemplateRequest {
                    code: "after-sales".into(),
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(got.versions.len(), 2);
            assert_eq!(got.versions[0], v1);
        }
        let link = h
            .templates(who::link())
            .get_survey_template(pb::GetSurveyTemplateRequest {
                code: "after-sales".into(),
            })
            .await;
        assert_eq!(code_of(link), Code::PermissionDenied);
        let missing = oem
            .get_survey_template(pb::GetSurveyTemplateRequest {
                code: "nope".into(),
            })
            .await;
        assert_eq!(code_of(missing), Code::NotFound);
    }
);

both!(
    only_head_office_changes_templates,
    |h: crate::support::Harness| async move {
        for p in [
            who::region("r1"),
            who::dealer("d1"),
            who::dms("d1"),
            who::link(),
        ] {
            let mut c = h.templates(p);
            assert_eq!(
                code_of(c.create_survey_template(create("t", "")).await),
                Code::PermissionDenied
            );
        }
        h.templates(who::oem())
            .create_survey_template(create("t", ""))
            .await
            .unwrap();
        let mut dealer = h.templates(who::dealer("d1"));
        assert_eq!(
            code_of(dealer.publish_survey_version(publish("t", "")).await),
            Code::PermissionDenied
        );
        let t = h
            .templates(who::oem())
            .get_survey_template(pb::GetSurveyTemplateRequest { code: "t".into() })
            .await
            .unwrap()
            .into_inner();
        assert!(t.versions.is_empty());
        let again = h
            .templates(who::oem())
            .create_survey_template(create("t", ""))
            .await;
        assert_eq!(code_of(again), Code::AlreadyExists);
        let nowhere = h
            .templates(who::oem())
            .publish_survey_version(publish("nowhere", ""))
            .await;
        assert_eq!(code_of(nowhere), Code::NotFound);
    }
);

both!(
    bad_drafts_name_their_field,
    |h: crate::support::Harness| async move {
        let mut oem = h.templates(who::oem());
        assert_eq!(
            field_of(oem.create_survey_template(create("Not An Id", "")).await),
            "survey_template.code"
        );
        let mut no_name = create("t", "");
        no_name.survey_template.as_mut().unwrap().display_name = " ".into();
        assert_eq!(
            field_of(oem.create_survey_template(no_name).await),
            "survey_template.display_name"
        );
        assert_eq!(
            field_of(
                oem.create_survey_template(pb::CreateSurveyTemplateRequest::default())
                    .await
            ),
            "survey_template"
        );
        oem.create_survey_template(create("t", "")).await.unwrap();

        let mut bad_scale = publish("t", "");
        bad_scale.version.as_mut().unwrap().questions[2].scale = 0;
        assert_eq!(
            field_of(oem.publish_survey_version(bad_scale).await),
            "version.questions[2].scale"
        );
        let mut weights = publish("t", "");
        weights
            .version
            .as_mut()
            .unwrap()
            .dimension_weights
            .as_mut()
            .unwrap()
            .tangibles = 10;
        assert!(
            field_of(oem.publish_survey_version(weights).await)
                .starts_with("version.dimension_weights")
        );
        let mut nps = publish("t", "");
        nps.version.as_mut().unwrap().nps_question = "overall".into();
        assert!(field_of(oem.publish_survey_version(nps).await).starts_with("version."));
        assert_eq!(
            field_of(
                oem.publish_survey_version(pb::PublishSurveyVersionRequest {
                    template_code: "t".into(),
                    ..Default::default()
                })
                .await
            ),
            "version"
        );
        let t = oem
            .get_survey_template(pb::GetSurveyTemplateRequest { code: "t".into() })
            .await
            .unwrap()
            .into_inner();
        assert!(t.versions.is_empty(), "nothing published");
    }
);

both!(
    retried_requests_apply_once,
    |h: crate::support::Harness| async move {
        let mut oem = h.templates(who::oem());
        let a = oem
            .create_survey_template(create("t", "req-1"))
            .await
            .unwrap()
            .into_inner();
        let b = oem
            .create_survey_template(create("t", "req-1"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(a, b);
        let v1 = oem
            .publish_survey_version(publish("t", "req-2"))
            .await
            .unwrap()
            .into_inner();
        let again = oem
            .publish_survey_version(publish("t", "req-2"))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(v1, again);
        let t = oem
            .get_survey_template(pb::GetSurveyTemplateRequest { code: "t".into() })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(t.versions.len(), 1, "the retry published nothing more");
        // The same request_id with another request is refused.
        assert_eq!(
            field_of(oem.create_survey_template(create("u", "req-1")).await),
            "request_id"
        );
    }
);

both!(
    templates_list_in_pages,
    |h: crate::support::Harness| async move {
        let mut oem = h.templates(who::oem());
        for code in ["c", "a", "b"] {
            oem.create_survey_template(create(code, "")).await.unwrap();
        }
        let mut dealer = h.templates(who::dealer("d1"));
        let first = dealer
            .list_survey_templates(pb::ListSurveyTemplatesRequest {
                page_size: 2,
                page_token: String::new(),
            })
            .await
            .unwrap()
            .into_inner();
        let codes: Vec<_> = first
            .survey_templates
            .iter()
            .map(|t| t.code.as_str())
            .collect();
        assert_eq!(codes, ["a", "b"]);
        let second = dealer
            .list_survey_templates(pb::ListSurveyTemplatesRequest {
                page_size: 2,
                page_token: first.next_page_token,
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(second.survey_templates.len(), 1);
        assert_eq!(second.survey_templates[0].code, "c");
        assert!(second.next_page_token.is_empty());
        let bad = dealer
            .list_survey_templates(pb::ListSurveyTemplatesRequest {
                page_size: -1,
                page_token: String::new(),
            })
            .await;
        assert_eq!(field_of(bad), "page_size");
    }
);
