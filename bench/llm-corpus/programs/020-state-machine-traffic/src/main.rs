use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Light {
    Green,
    Yellow,
    Red,
    Walk,
    FlashingDontWalk,
}

impl Light {
    fn duration(self) -> u32 {
        match self {
            Light::Green => 15,
            Light::Yellow => 3,
            Light::Red => 2, // all-red clearance before cars or pedestrians
            Light::Walk => 8,
            Light::FlashingDontWalk => 4,
        }
    }
}

impl fmt::Display for Light {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Light::Green => "GREEN      | ped: DON'T WALK",
            Light::Yellow => "YELLOW     | ped: DON'T WALK",
            Light::Red => "RED        | ped: DON'T WALK",
            Light::Walk => "RED        | ped: WALK",
            Light::FlashingDontWalk => "RED        | ped: flashing DON'T WALK",
        };
        write!(f, "{}", s)
    }
}

#[derive(Debug, Clone, Copy)]
enum Event {
    Tick,
    PedestrianButton,
}

struct Controller {
    state: Light,
    elapsed: u32,
    ped_waiting: bool,
    min_green: u32,
    cycles: u32,
    ped_crossings: u32,
}

impl Controller {
    fn new() -> Self {
        Controller { state: Light::Green, elapsed: 0, ped_waiting: false, min_green: 6, cycles: 0, ped_crossings: 0 }
    }

    fn transition(&mut self, to: Light) -> Option<(Light, Light)> {
        let from = self.state;
        self.state = to;
        self.elapsed = 0;
        Some((from, to))
    }

    /// Handle an event; returns Some((from, to)) when the state changed.
    fn handle(&mut self, event: Event) -> Option<(Light, Light)> {
        match event {
            Event::PedestrianButton => {
                if !matches!(self.state, Light::Walk) {
                    self.ped_waiting = true;
                }
                // A waiting pedestrian shortens green once the minimum green time has passed.
                if self.state == Light::Green && self.elapsed >= self.min_green {
                    return self.transition(Light::Yellow);
                }
                None
            }
            Event::Tick => {
                self.elapsed += 1;
                let done = self.elapsed >= self.state.duration();
                let green_cut_short = self.state == Light::Green && self.ped_waiting && self.elapsed >= self.min_green;
                if !done && !green_cut_short {
                    return None;
                }
                let next = match self.state {
                    Light::Green => Light::Yellow,
                    Light::Yellow => Light::Red,
                    Light::Red => {
                        if self.ped_waiting {
                            self.ped_waiting = false;
                            self.ped_crossings += 1;
                            Light::Walk
                        } else {
                            self.cycles += 1;
                            Light::Green
                        }
                    }
                    Light::Walk => Light::FlashingDontWalk,
                    Light::FlashingDontWalk => {
                        self.cycles += 1;
                        Light::Green
                    }
                };
                self.transition(next)
            }
        }
    }
}

fn main() {
    let mut ctl = Controller::new();
    // Ticks at which a pedestrian presses the button.
    let presses = [4, 5, 30, 33, 50];
    let mut time_in_state = std::collections::HashMap::new();

    println!("tick | state");
    for tick in 1..=60u32 {
        if presses.contains(&tick) {
            println!("{:>4} | ** pedestrian presses button **", tick);
            if let Some((from, to)) = ctl.handle(Event::PedestrianButton) {
                println!("{:>4} | {:?} -> {:?} (button)", tick, from, to);
            }
        }
        *time_in_state.entry(format!("{:?}", ctl.state)).or_insert(0u32) += 1;
        match ctl.handle(Event::Tick) {
            Some((from, to)) => println!("{:>4} | {:?} -> {:?}   now: {}", tick, from, to, to),
            None => println!("{:>4} | {}{}", tick, ctl.state, if ctl.ped_waiting { "  (ped waiting)" } else { "" }),
        }
    }

    println!("\nCompleted cycles: {}, pedestrian crossings: {}", ctl.cycles, ctl.ped_crossings);
    let mut times: Vec<_> = time_in_state.into_iter().collect();
    times.sort_by(|a, b| b.1.cmp(&a.1));
    println!("Ticks per state:");
    for (s, t) in times {
        println!("  {:<18} {:>3}", s, t);
    }
}
