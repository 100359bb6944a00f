//! Named query parameters: every value reaches BigQuery SQL this way, typed.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use gcp_bigquery_client::model::query_parameter::QueryParameter;
use gcp_bigquery_client::model::query_parameter_type::QueryParameterType;
use gcp_bigquery_client::model::query_parameter_value::QueryParameterValue;

/// The parameters of one statement.
#[derive(Debug, Default, Clone)]
pub struct Params(Vec<QueryParameter>);

fn scalar_type(kind: &str) -> QueryParameterType {
    QueryParameterType {
        r#type: kind.to_string(),
        ..Default::default()
    }
}

impl Params {
    pub fn new() -> Self {
        Params::default()
    }

    fn push(&mut self, name: &str, kind: &str, value: Option<String>) -> &mut Self {
        self.0.push(QueryParameter {
            name: Some(name.to_string()),
            parameter_type: Some(scalar_type(kind)),
            parameter_value: Some(QueryParameterValue {
                value,
                ..Default::default()
            }),
        });
        self
    }

    pub fn string(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        self.push(name, "STRING", value.map(str::to_string))
    }

    pub fn int(&mut self, name: &str, value: Option<i64>) -> &mut Self {
        self.push(name, "INT64", value.map(|v| v.to_string()))
    }

    /// A FLOAT64; non-finite values are sent as NULL.
    pub fn float(&mut self, name: &str, value: Option<f64>) -> &mut Self {
        let value = value.filter(|v| v.is_finite());
        self.push(name, "FLOAT64", value.map(|v| format!("{v:?}")))
    }

    pub fn bool(&mut self, name: &str, value: Option<bool>) -> &mut Self {
        self.push(name, "BOOL", value.map(|v| v.to_string()))
    }

    pub fn date(&mut self, name: &str, value: Option<NaiveDate>) -> &mut Self {
        self.push(
            name,
            "DATE",
            value.map(|d| d.format("%Y-%m-%d").to_string()),
        )
    }

    pub fn timestamp(&mut self, name: &str, value: Option<DateTime<Utc>>) -> &mut Self {
        self.push(
            name,
            "TIMESTAMP",
            value.map(|at| at.to_rfc3339_opts(SecondsFormat::Micros, true)),
        )
    }

    pub fn strings(&mut self, name: &str, values: &[String]) -> &mut Self {
        self.0.push(QueryParameter {
            name: Some(name.to_string()),
            parameter_type: Some(QueryParameterType {
                r#type: "ARRAY".to_string(),
                array_type: Some(Box::new(scalar_type("STRING"))),
                ..Default::default()
            }),
            parameter_value: Some(QueryParameterValue {
                array_values: Some(
                    values
                        .iter()
                        .map(|value| QueryParameterValue {
                            value: Some(value.clone()),
                            ..Default::default()
                        })
                        .collect(),
                ),
                ..Default::default()
            }),
        });
        self
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn build(self) -> Vec<QueryParameter> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_serialise_as_the_rest_api_expects() {
        let mut params = Params::new();
        params
            .string("system", Some("'; DROP TABLE x; --"))
            .float("edge", Some(1.5))
            .float("nan", Some(f64::NAN))
            .date("from", NaiveDate::from_ymd_opt(2026, 1, 2))
            .strings("systems", &["a".to_string()]);
        let json = serde_json::to_value(params.build()).unwrap();
        assert_eq!(
            json[0],
            serde_json::json!({"name": "system", "parameterType": {"type": "STRING"},
                               "parameterValue": {"value": "'; DROP TABLE x; --"}})
        );
        assert_eq!(json[1]["parameterValue"]["value"], "1.5");
        assert_eq!(json[2]["parameterValue"], serde_json::json!({}));
        assert_eq!(json[3]["parameterValue"]["value"], "2026-01-02");
        assert_eq!(
            json[4],
            serde_json::json!({"name": "systems",
              "parameterType": {"type": "ARRAY", "arrayType": {"type": "STRING"}},
              "parameterValue": {"arrayValues": [{"value": "a"}]}})
        );
    }
}
