//! What a service's build function hands back: the routes to serve, and
//! what runs behind them until the process stops.

use std::{future::Future, pin::Pin};

use tokio::task::JoinHandle;
use tonic::service::Routes;

use crate::ServerRoutes;

/// A service built from its settings and connections, ready to serve.
/// `handle` is what a caller may reach inside (surveys' league tables); most
/// services have none.
#[derive(Debug)]
pub struct Built<H = ()> {
    pub routes: Routes,
    pub running: Running,
    pub handle: H,
}

impl Built {
    /// `routes` finished (each service reported serving), with nothing
    /// running behind them yet.
    pub async fn new(routes: ServerRoutes) -> Self {
        Built {
            routes: routes.finish().await.0,
            running: Running::default(),
            handle: (),
        }
    }
}

impl<H> Built<H> {
    /// The same service, its handle let go.
    pub fn without_handle(self) -> Built {
        Built {
            routes: self.routes,
            running: self.running,
            handle: (),
        }
    }
}

type Closing = Pin<Box<dyn Future<Output = ()> + Send>>;

/// What a service runs behind its routes: background tasks (aborted when
/// it closes or is dropped) and what closes in order after them (its outbox
/// relay finishing the deliveries under way, then its database).
#[derive(Default)]
pub struct Running {
    tasks: Vec<JoinHandle<()>>,
    closing: Vec<Closing>,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("tasks", &self.tasks.len())
            .field("closing", &self.closing.len())
            .finish()
    }
}

impl Running {
    /// A task that runs until the service closes.
    pub fn with_task(mut self, task: JoinHandle<()>) -> Self {
        self.tasks.push(task);
        self
    }

    /// A step of closing, run after the tasks are aborted and the steps
    /// added before it.
    pub fn with_closing(mut self, closing: impl Future<Output = ()> + Send + 'static) -> Self {
        self.closing.push(Box::pin(closing));
        self
    }

    /// Aborts the tasks, then runs the closing steps in order.
    pub async fn close(mut self) {
        for task in self.tasks.drain(..) {
            task.abort();
        }
        for closing in std::mem::take(&mut self.closing) {
            closing.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
