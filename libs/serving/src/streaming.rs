//! Which methods of the Aftercare contracts stream their answers, read from
//! the contracts' own descriptors: a proxy in front of them must not give
//! those a deadline of its own (a stream lives as long as its caller wants).

use std::collections::HashSet;

use prost::Message;
use prost_types::FileDescriptorSet;

/// The paths (`/aftercare.dealers.v1.RepairOrderService/WatchAtRiskRepairOrders`)
/// of every server-streaming method of the Aftercare contracts.
pub fn server_streaming_paths() -> HashSet<String> {
    let set = FileDescriptorSet::decode(aftercare_proto::FILE_DESCRIPTOR_SET)
        .expect("the descriptor set built with the contracts decodes");
    set.file
        .iter()
        .flat_map(|file| {
            file.service.iter().flat_map(move |service| {
                service
                    .method
                    .iter()
                    .filter(|m| m.server_streaming())
                    .map(move |m| format!("/{}.{}/{}", file.package(), service.name(), m.name()))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watch_methods_stream_and_the_reads_do_not() {
        let paths = server_streaming_paths();
        assert!(paths.contains("/aftercare.dealers.v1.RepairOrderService/WatchAtRiskRepairOrders"));
        assert!(paths.contains("/aftercare.surveys.v1.LeagueService/WatchLeagueTable"));
        assert!(!paths.contains("/aftercare.surveys.v1.LeagueService/GetLeagueTable"));
    }
}
