CREATE TABLE public.z_m (id int, at date NOT NULL, status text DEFAULT 'open') PARTITION BY RANGE (at);
CREATE TABLE public.a_2025 PARTITION OF public.z_m (status DEFAULT 'closed') FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE public.a_2026 PARTITION OF public.z_m FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
